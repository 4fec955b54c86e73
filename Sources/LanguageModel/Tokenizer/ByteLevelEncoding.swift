/// GPT-2's reversible map between bytes and printable Unicode scalars.
///
/// BPE vocabularies store token text with every byte replaced by a printable scalar, so a space is `Ġ` (U+0120) and
/// a newline `Ċ` (U+010A). Printable Latin-1 bytes map to themselves; the other 68 bytes, in order, to U+0100 on.
enum ByteLevelEncoding {
    /// The scalar that stands for each byte.
    static let scalarForByte: [UInt32] = {
        var scalars = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            if printable {
                scalars[byte] = UInt32(byte)
            } else {
                scalars[byte] = next
                next += 1
            }
        }
        return scalars
    }()

    /// The UTF-8 bytes of the scalar that stands for each byte.
    static let utf8ForByte: [[UInt8]] = scalarForByte.map { Array(String(Unicode.Scalar($0)!).utf8) }

    /// The byte each standing scalar means (indexed by scalar value below 0x144), or -1.
    static let byteForScalar: [Int16] = {
        var bytes = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() { bytes[Int(scalar)] = Int16(byte) }
        return bytes
    }()

    /// Decodes stored token text back into the bytes it stands for; scalars outside the map are kept as UTF-8.
    static func decode(_ text: [UInt8], into bytes: inout [UInt8]) {
        var iterator = text.makeIterator()
        var decoder = UTF8()
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            let value = Int(scalar.value)
            if value < byteForScalar.count, byteForScalar[value] >= 0 {
                bytes.append(UInt8(byteForScalar[value]))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
    }
}
