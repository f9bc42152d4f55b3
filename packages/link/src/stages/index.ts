// Built-in stage types register themselves on import.
import './down';
import './loss';
import './rate';
import './burst';
import './fade';
import './latency';
import './bandwidth';
