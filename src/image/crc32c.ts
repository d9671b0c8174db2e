/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing, and
 * TensorFlow's masked form of it (tensorflow/core/lib/hash/crc32c.h `Mask`). Table-driven with
 * slicing-by-4: about 20 lines, no dependency (a native package would add a binary to install
 * for a checksum that is a few per cent of a TFRecord write).
 * Check value: crc32c("123456789") = 0xE3069283 (RFC 3720, appendix B.4).
 */

const TABLES = (() => {
  const t = new Uint32Array(4 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    for (let s = 1; s < 4; s++) t[s * 256 + n] = (t[(s - 1) * 256 + n] >>> 8) ^ t[t[(s - 1) * 256 + n] & 0xff];
  }
  return t;
})();

/**
 * CRC-32C of `bytes` (continuing from `crc` when given), as an unsigned 32-bit number.
 * @example crc32c(Buffer.from("123456789")) // 0xe3069283
 */
export function crc32c(bytes: Uint8Array, crc = 0): number {
  const t = TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const end4 = bytes.length - (bytes.length % 4);
  for (; i < end4; i += 4) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c = t[768 + (c & 0xff)] ^ t[512 + ((c >>> 8) & 0xff)] ^ t[256 + ((c >>> 16) & 0xff)] ^ t[c >>> 24];
  }
  for (; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * TensorFlow's masked CRC: rotate right by 15 bits and add 0xa282ead8 (mod 2^32), so a CRC of
 * data that itself holds CRCs does not degenerate.
 * @example maskedCrc32c(Buffer.alloc(8)) // the length CRC of an empty record
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}
