import Foundation

/// Where a diphone voice gets its units: a festvox database (`DiphoneDatabase`) or a voice built from a speaker's
/// recordings (`RecordedDiphones`). Implementations are immutable or lock their caches, so a voice may be shared.
public protocol DiphoneUnitProviding: Sendable {
    /// The file, as named in errors.
    var path: String { get }
    /// The recordings' sample rate.
    var sampleRateHz: Int { get }
    /// Diphone names, `left-right`.
    var names: [String] { get }
    /// Whether there is a unit of this name.
    func contains(_ name: String) -> Bool
    /// The unit `left-right` at `sampleRateHz` (resampled when it differs from the recordings'), or nil.
    func unit(_ name: String, sampleRateHz: Int?) -> DiphoneUnit?
}

extension DiphoneDatabase: DiphoneUnitProviding {}

/// A voice built by `tutor voice build`: our own binary file of diphone units cut from a speaker's recordings
/// (`.diphones`). All numbers little-endian:
///
///     offset  size  field
///     0       8     magic "VTDIPHON"
///     8       4     version (1)
///     12      4     sample rate, Hz
///     16      4     phone count P
///     20      4     unit count U
///     24      8     samples offset, bytes from the file's start (int16 samples of every unit, one after another)
///     32      8     sample count
///     40      8     marks offset, bytes from the file's start (uint32 pitch marks, each from its unit's start)
///     48      8     mark count
///     56      ...   phone table: P times (uint8 byte length, UTF-8 name); names hold no '-' and no spaces
///     ...     U*24  index: uint16 left phone, uint16 right phone, uint32 first sample, uint32 sample count,
///                   uint32 first mark, uint32 mark count, uint32 boundary mark (the right phone's first mark)
///
/// Everything is checked when the file opens (magic, version, that every table and unit fits the file, marks
/// increasing inside their unit, the boundary among the marks, no name twice); errors name the file.
public final class RecordedDiphones: DiphoneUnitProviding, @unchecked Sendable {
    public static let magic = Array("VTDIPHON".utf8)
    public static let version: UInt32 = 1
    static let headerBytes = 56
    static let indexEntryBytes = 24

    public let path: String
    public let sampleRateHz: Int
    public let names: [String]
    /// The phones the units are named with (our phoneme symbols, `_` for a pause).
    public let phones: [String]
    private let units: [String: DiphoneUnit]
    private let lock = NSLock()
    private var resampled: [String: DiphoneUnit] = [:]

    /// Units to write or speak; names must be `left-right`, each once, all at one sample rate.
    public init(units: [DiphoneUnit], sampleRateHz: Int, path: String = "(built voice)") {
        self.path = path
        self.sampleRateHz = sampleRateHz
        var phones: [String] = []
        var known: Set<String> = []
        for unit in units {
            for phone in unit.name.split(separator: "-").map(String.init) where known.insert(phone).inserted {
                phones.append(phone)
            }
        }
        self.phones = phones
        self.names = units.map(\.name)
        self.units = Dictionary(units.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Opens and validates a `.diphones` file.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SynthesisError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data, path: url.path)
    }

    /// Validates a `.diphones` file held in memory; `path` names it in errors.
    public init(data: Data, path: String) throws {
        let bytes = [UInt8](data)
        func fail(_ expected: String, _ found: String) -> SynthesisError {
            .invalidBinary(path: path, expected: expected, found: found)
        }
        guard bytes.count >= Self.headerBytes else {
            throw fail("a \(Self.headerBytes)-byte header", "\(bytes.count) bytes (truncated)")
        }
        guard Array(bytes[0..<8]) == Self.magic else {
            let shown = String(decoding: bytes[0..<8].map { (32...126).contains($0) ? $0 : 46 }, as: UTF8.self)
            throw fail("magic 'VTDIPHON' (a voice built by tutor voice build)", "'\(shown)'")
        }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> Int { u32(at) | u32(at + 4) << 32 }
        let version = u32(8)
        guard version == Self.version else { throw fail("version \(Self.version)", "version \(version)") }
        let rate = u32(12)
        guard (8000...48000).contains(rate) else { throw fail("a sample rate of 8000-48000 Hz", "\(rate) Hz") }
        let phoneCount = u32(16)
        let unitCount = u32(20)
        let samplesOffset = u64(24)
        let sampleCount = u64(32)
        let marksOffset = u64(40)
        let markCount = u64(48)
        guard phoneCount > 0, phoneCount < 65_536, unitCount > 0, unitCount < 1 << 20 else {
            throw fail("1-65535 phones and 1-1048575 units", "\(phoneCount) phones, \(unitCount) units")
        }
        guard samplesOffset <= bytes.count, sampleCount <= (bytes.count - samplesOffset) / 2 else {
            throw fail(
                "\(sampleCount) samples at byte \(samplesOffset) inside the file's \(bytes.count) bytes",
                "they run past the end (truncated?)")
        }
        guard marksOffset <= bytes.count, markCount <= (bytes.count - marksOffset) / 4 else {
            throw fail(
                "\(markCount) pitch marks at byte \(marksOffset) inside the file's \(bytes.count) bytes",
                "they run past the end (truncated?)")
        }
        var phones: [String] = []
        var offset = Self.headerBytes
        for index in 0..<phoneCount {
            guard offset < bytes.count, offset + 1 + Int(bytes[offset]) <= bytes.count else {
                throw fail("phone \(index) of \(phoneCount) in the phone table", "the end of the file (truncated?)")
            }
            let length = Int(bytes[offset])
            guard length > 0, let name = String(bytes: bytes[(offset + 1)..<(offset + 1 + length)], encoding: .utf8),
                !name.contains("-"), !name.contains(where: \.isWhitespace)
            else { throw fail("phone \(index): a UTF-8 name without '-' or spaces", "bytes at \(offset)") }
            phones.append(name)
            offset += 1 + length
        }
        let indexStart = offset
        guard indexStart + unitCount * Self.indexEntryBytes <= min(samplesOffset, marksOffset) else {
            throw fail(
                "an index of \(unitCount) units at byte \(indexStart) ending before the samples and marks",
                "it overlaps them or runs past the end (truncated?)")
        }
        var units: [String: DiphoneUnit] = [:]
        var names: [String] = []
        for index in 0..<unitCount {
            let at = indexStart + index * Self.indexEntryBytes
            let left = u16(at)
            let right = u16(at + 2)
            let firstSample = u32(at + 4)
            let count = u32(at + 8)
            let firstMark = u32(at + 12)
            let marks = u32(at + 16)
            let boundary = u32(at + 20)
            guard left < phoneCount, right < phoneCount else {
                throw fail("unit \(index): phones below \(phoneCount)", "phones \(left) and \(right)")
            }
            let name = "\(phones[left])-\(phones[right])"
            guard count > 0, firstSample + count <= sampleCount else {
                throw fail(
                    "unit \(index) '\(name)': samples inside the \(sampleCount) of the file",
                    "\(firstSample)..<\(firstSample + count)")
            }
            guard marks >= 2, firstMark + marks <= markCount else {
                throw fail(
                    "unit \(index) '\(name)': at least 2 pitch marks inside the \(markCount) of the file",
                    "\(marks) marks from \(firstMark)")
            }
            guard boundary < marks else {
                throw fail("unit \(index) '\(name)': a boundary mark below its \(marks) marks", "\(boundary)")
            }
            var pitchMarks: [Int] = []
            pitchMarks.reserveCapacity(marks)
            for mark in 0..<marks {
                let position = u32(marksOffset + 4 * (firstMark + mark))
                guard position < count, pitchMarks.last.map({ position > $0 }) ?? true else {
                    throw fail(
                        "unit \(index) '\(name)': pitch marks increasing inside its \(count) samples",
                        "mark \(mark) at \(position)")
                }
                pitchMarks.append(position)
            }
            guard units[name] == nil else { throw fail("each diphone once", "'\(name)' twice (unit \(index))") }
            var samples = [Float](repeating: 0, count: count)
            let base = samplesOffset + 2 * firstSample
            for sample in 0..<count {
                samples[sample] = Float(Int16(truncatingIfNeeded: u16(base + 2 * sample))) / 32_768
            }
            units[name] = DiphoneUnit(
                name: name, samples: samples, pitchMarks: pitchMarks, boundaryMark: boundary, sampleRateHz: rate)
            names.append(name)
        }
        self.path = path
        self.sampleRateHz = rate
        self.phones = phones
        self.names = names
        self.units = units
    }

    public func contains(_ name: String) -> Bool { units[name] != nil }

    public func unit(_ name: String, sampleRateHz: Int? = nil) -> DiphoneUnit? {
        guard let unit = units[name] else { return nil }
        let rate = sampleRateHz ?? self.sampleRateHz
        guard rate != self.sampleRateHz else { return unit }
        let key = "\(name)@\(rate)"
        lock.lock()
        defer { lock.unlock() }
        if let cached = resampled[key] { return cached }
        let converted = DiphoneDatabase.resampled(unit, to: rate)
        resampled[key] = converted
        return converted
    }

    /// The file's bytes: header, phone table, index, samples (int16, clipped to full scale), marks.
    public func encoded() -> Data {
        var out: [UInt8] = []
        func put16(_ value: Int) { out += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func put32(_ value: Int) { put16(value & 0xFFFF); put16(value >> 16 & 0xFFFF) }
        func put64(_ value: Int) { put32(value & 0xFFFF_FFFF); put32(value >> 32) }
        let phoneIndex = Dictionary(phones.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let ordered = names.compactMap { units[$0] }
        let phoneTableBytes = phones.reduce(0) { $0 + 1 + $1.utf8.count }
        let samplesOffset = Self.headerBytes + phoneTableBytes + ordered.count * Self.indexEntryBytes
        let sampleCount = ordered.reduce(0) { $0 + $1.samples.count }
        let marksOffset = samplesOffset + 2 * sampleCount
        let markCount = ordered.reduce(0) { $0 + $1.pitchMarks.count }
        out += Self.magic
        put32(Int(Self.version))
        put32(sampleRateHz)
        put32(phones.count)
        put32(ordered.count)
        put64(samplesOffset)
        put64(sampleCount)
        put64(marksOffset)
        put64(markCount)
        for phone in phones {
            out.append(UInt8(phone.utf8.count))
            out += Array(phone.utf8)
        }
        var firstSample = 0
        var firstMark = 0
        for unit in ordered {
            let pair = unit.name.split(separator: "-").map(String.init)
            put16(phoneIndex[pair[0]]!)
            put16(phoneIndex[pair[1]]!)
            put32(firstSample)
            put32(unit.samples.count)
            put32(firstMark)
            put32(unit.pitchMarks.count)
            put32(unit.boundaryMark)
            firstSample += unit.samples.count
            firstMark += unit.pitchMarks.count
        }
        for unit in ordered {
            for sample in unit.samples {
                put16(Int(Int16(max(-32_768, min(32_767, (sample * 32_768).rounded())))) & 0xFFFF)
            }
        }
        for unit in ordered {
            for mark in unit.pitchMarks { put32(mark) }
        }
        return Data(out)
    }

    /// Writes the file (atomically).
    public func write(to url: URL) throws {
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoded().write(to: url, options: .atomic)
        } catch {
            throw SynthesisError.fileUnreadable(path: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
