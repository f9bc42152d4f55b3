// 802.15.6 HBC facts: PSDU up to 255 B = 7 B MAC header + up to 246 B payload + 2 B FCS; I-Ack is a
// header + FCS (9 B); pSIFS = 75 us. The ~0.17 ms PHY overhead per frame (preamble, SFD, PHY header)
// follows DESIGN.md section 4. Energy: ~4.5 nJ/bit TX (802.15.6 FPGA), ~10.6 nJ/bit RX (receiver IC).
/** 802.15.6 HBC frame sizes and timing shared by the HBC presets. */
export const HBC_FRAME = { framePayloadBytes: 246, frameOverheadBytes: 9, phyOverheadMs: 0.17, ifsMs: 0.075, ackBytes: 9 };
/** 802.15.6 HBC radio energy per bit, nJ/bit. */
export const HBC_ENERGY = { txNjPerBit: 4.5, rxNjPerBit: 10.6 };
