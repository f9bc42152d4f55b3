/** A learnable synthetic CIFAR-shaped set: class c tints channel c % 3 and brightens quadrant c % 4. */
export function syntheticImages(count: number, classes: number, seed: number): { count: number; pixels: Uint8Array; fine: Uint8Array } {
  const pixels = new Uint8Array(count * 3072);
  const fine = new Uint8Array(count);
  let s = seed >>> 0 || 1;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  for (let i = 0; i < count; i++) {
    const c = i % classes;
    fine[i] = c;
    for (let ch = 0; ch < 3; ch++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          const quadrant = (y < 16 ? 0 : 2) + (x < 16 ? 0 : 1);
          let v = 60 + next() * 60;
          if (ch === c % 3) v += 80;
          if (quadrant === c % 4) v += 50;
          pixels[i * 3072 + ch * 1024 + y * 32 + x] = Math.min(255, v);
        }
      }
    }
  }
  return { count, pixels, fine };
}
