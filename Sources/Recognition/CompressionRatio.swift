/// How much a text shrinks under DEFLATE: openai-whisper's test for looping output ("the the the ...", a sentence
/// said over and over), which compresses far better than speech does. Whisper falls back to a higher temperature when
/// `zlib.compress(text)` makes the text more than 2.4 times smaller.
///
/// The compressed size is computed, not produced: DEFLATE's LZ77 (32 KiB window, matches of 3-258 bytes, greedy,
/// hash chains of up to 128 candidates) coded with its fixed Huffman table in one block, plus zlib's 2-byte header
/// and 4-byte checksum. On loops, where long matches carry the size, and on short texts this agrees with Python's
/// `zlib.compress` within a byte; on a plain sentence of a hundred bytes or more zlib's dynamic Huffman table makes
/// it up to a fifth smaller, so the ratio here is lower there: further from the threshold, never a false alarm.
public enum CompressionRatio {
    /// The uncompressed UTF-8 byte count over the zlib-format size; 0 for empty text.
    public static func of(_ text: String) -> Double {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return 0 }
        return Double(bytes.count) / Double(zlibByteCount(bytes))
    }

    /// The size of `bytes` in zlib format: header, one fixed-Huffman DEFLATE block, Adler-32.
    static func zlibByteCount(_ bytes: [UInt8]) -> Int {
        2 + (deflateBitCount(bytes) + 7) / 8 + 4
    }

    /// Bits of one final fixed-Huffman DEFLATE block holding `bytes`.
    static func deflateBitCount(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        let hashBits = 12
        var head = [Int](repeating: -1, count: 1 << hashBits)  // (hash) -> latest position with that 3-byte prefix
        var previous = [Int](repeating: -1, count: count)  // (position) -> the earlier one with the same hash
        func hash(_ p: Int) -> Int {
            (Int(bytes[p]) << 8 ^ Int(bytes[p + 1]) << 4 ^ Int(bytes[p + 2])) & ((1 << hashBits) - 1)
        }
        func insert(_ p: Int) {
            guard p + 2 < count else { return }
            let h = hash(p)
            previous[p] = head[h]
            head[h] = p
        }
        var bits = 3  // BFINAL and BTYPE
        var i = 0
        while i < count {
            var bestLength = 0
            var bestDistance = 0
            if i + 2 < count {
                var candidate = head[hash(i)]
                var chain = 0
                while candidate >= 0 && i - candidate <= 32_768 && chain < 128 {
                    var length = 0
                    while i + length < count && length < 258 && bytes[candidate + length] == bytes[i + length] {
                        length += 1
                    }
                    if length > bestLength {
                        bestLength = length
                        bestDistance = i - candidate
                    }
                    candidate = previous[candidate]
                    chain += 1
                }
            }
            if bestLength >= 3 {
                bits += lengthBits(bestLength) + distanceBits(bestDistance)
                for p in i..<(i + bestLength) { insert(p) }
                i += bestLength
            } else {
                bits += bytes[i] < 144 ? 8 : 9  // literals 0-143 have 8-bit codes, 144-255 9-bit
                insert(i)
                i += 1
            }
        }
        return bits + 7  // end of block (symbol 256, 7 bits)
    }

    /// A match length's code (symbols 257-279: 7 bits, 280-285: 8 bits) and its extra bits.
    static func lengthBits(_ length: Int) -> Int {
        let code = length <= 114 ? 7 : 8
        let extra: Int
        switch length {
        case 3...10, 258: extra = 0
        case 11...18: extra = 1
        case 19...34: extra = 2
        case 35...66: extra = 3
        case 67...130: extra = 4
        default: extra = 5
        }
        return code + extra
    }

    /// A distance's 5-bit code and its extra bits (0 for 1-4, then one more per doubling).
    static func distanceBits(_ distance: Int) -> Int {
        5 + (distance <= 4 ? 0 : (Int.bitWidth - (distance - 1).leadingZeroBitCount) - 2)
    }
}
