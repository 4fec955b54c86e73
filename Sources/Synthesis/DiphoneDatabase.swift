import Foundation

/// One recorded diphone: the waveform from the middle of one phone to the middle of the next, with its pitch marks.
public struct DiphoneUnit: Sendable, Equatable {
    /// `left-right` in the database's phone names, e.g. `k-aa`.
    public var name: String
    /// The waveform, full scale ±1.  // (sampleCount)
    public var samples: [Float]
    /// Sample positions of the pitch marks (one per glottal period where voiced), increasing.  // (markCount)
    public var pitchMarks: [Int]
    /// Index into `pitchMarks` of the first mark of the right phone: the boundary between the two phones.
    public var boundaryMark: Int
    public var sampleRateHz: Int

    public init(name: String, samples: [Float], pitchMarks: [Int], boundaryMark: Int, sampleRateHz: Int) {
        self.name = name
        self.samples = samples
        self.pitchMarks = pitchMarks
        self.boundaryMark = boundaryMark
        self.sampleRateHz = sampleRateHz
    }
}

/// A festvox/Festival UniSyn diphone database in its "grouped" form: one file holding a text index and, per diphone,
/// an EST track of LPC coefficients at the pitch marks and an LPC residual in Sun `.snd` format (what Debian's
/// festvox-hi-nsk ships as `group/NSKlpc.group`).
///
/// Layout, as read here:
/// - an ASCII header, `EST_File index`, `DataFormat grouped`, `NumEntries N`, ... `EST_Header_End`, then N lines
///   `name trackOffset signalOffset boundaryFrame`; offsets count bytes from the first byte after the index;
/// - at each track offset, an EST binary track: an ASCII header (`EST_File Track`, `DataType binary`, `NumFrames`,
///   `ByteOrder 01` little- or `10` big-endian, `NumChannels`, `BreaksPresent`, ..., `EST_Header_End`), then per
///   frame a float32 time in seconds (the pitch mark), a float32 break flag when breaks are present, and the
///   channels: `lpc_0` (frame energy) then the predictor coefficients a1...ap;
/// - at each signal offset, a `.snd` file: big-endian magic `.snd`, data offset, byte count, encoding (1: 8-bit
///   µ-law, 3: 16-bit linear), sample rate, channel count (1), then the residual e.
///
/// The waveform is rebuilt as s[n] = e[n] + Σ a_k s[n−k], the coefficients of frame i covering the samples after
/// frame i−1's mark up to its own. Every entry's headers and offsets are checked when the database opens; a unit's
/// waveform is rebuilt the first time it is asked for and kept.
///
/// Thread safety: a database may be shared; the cache of rebuilt units is guarded by a lock.
public final class DiphoneDatabase: @unchecked Sendable {
    /// The file, as named in errors.
    public let path: String
    /// The recordings' sample rate.
    public let sampleRateHz: Int
    /// LPC order of the tracks.
    public let lpcOrder: Int
    /// Diphone names in index order (the first entry of a name that occurs twice is the one used).
    public let names: [String]

    struct Entry {
        var name: String
        var line: Int
        var boundaryFrame: Int
        var frameCount: Int
        var channelCount: Int
        var breaksPresent: Bool
        var littleEndian: Bool
        var framesOffset: Int
        var signalEncoding: UInt32
        var signalOffset: Int
        var signalByteCount: Int
    }

    private let data: Data
    private let entries: [String: Entry]
    private let lock = NSLock()
    private var cache: [String: DiphoneUnit] = [:]

    /// Opens and validates a grouped database file.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SynthesisError.fileUnreadable(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data, path: url.path)
    }

    /// Validates a grouped database held in memory; `path` names it in errors.
    public init(data: Data, path: String) throws {
        self.data = data
        self.path = path
        func fail(_ expected: String, _ found: String) -> SynthesisError {
            .invalidBinary(path: path, expected: expected, found: found)
        }
        let marker = Array("EST_Header_End\n".utf8)
        guard data.starts(with: Array("EST_File index".utf8)) else {
            throw fail("a festvox diphone index starting 'EST_File index'", "'\(Self.text(data, 0, 14))'")
        }
        guard let headerEnd = Self.find(marker, in: data, from: 0, limit: 4096) else {
            throw fail("'EST_Header_End' within the first 4096 bytes", "none")
        }
        var header: [String: String] = [:]
        for line in Self.text(data, 0, headerEnd).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { header[String(parts[0])] = String(parts[1]) }
        }
        guard header["DataFormat"] == "grouped" else {
            throw fail("DataFormat grouped (one file for all units)", "DataFormat \(header["DataFormat"] ?? "missing")")
        }
        guard let countText = header["NumEntries"], let entryCount = Int(countText), entryCount > 0 else {
            throw fail("NumEntries N > 0 in the index header", header["NumEntries"] ?? "no NumEntries")
        }
        // The index lines run from the header's end to the first track.
        let indexStart = headerEnd + marker.count
        guard
            let base = Self.find(Array("EST_File Track".utf8), in: data, from: indexStart, limit: entryCount * 80 + 80)
        else { throw fail("\(entryCount) index lines followed by the first 'EST_File Track'", "no track after them") }
        let headerLines = Self.text(data, 0, headerEnd).split(separator: "\n", omittingEmptySubsequences: false).count
        let indexLines = Self.text(data, indexStart, base - indexStart).split(
            separator: "\n", omittingEmptySubsequences: false)
        var entries: [String: Entry] = [:]
        var names: [String] = []
        var sampleRate: Int?
        var order: Int?
        for (index, raw) in indexLines.enumerated() where !raw.isEmpty {
            let line = headerLines + index + 1
            let fields = raw.split(separator: " ")
            func lineError(_ reason: String) -> SynthesisError {
                .invalidLine(path: path, line: line, reason: reason)
            }
            guard fields.count == 4, let trackOffset = Int(fields[1]), let signalOffset = Int(fields[2]),
                let boundary = Int(fields[3]), fields[0].contains("-")
            else { throw lineError("expected 'left-right trackOffset signalOffset boundaryFrame', found '\(raw)'") }
            let name = String(fields[0])
            guard trackOffset >= 0, base + trackOffset < data.count, signalOffset > trackOffset,
                base + signalOffset + 24 <= data.count
            else {
                throw lineError(
                    "'\(name)': offsets \(trackOffset), \(signalOffset) do not fit the file's \(data.count - base) "
                        + "bytes of units (truncated?)")
            }
            var entry = try Self.readTrackHeader(
                data, at: base + trackOffset, limit: base + signalOffset, name: name, boundary: boundary,
                lineError: lineError)
            entry.line = line
            try Self.readSignalHeader(data, at: base + signalOffset, into: &entry, lineError: lineError)
            let rate = Int(Self.bigEndian(data, base + signalOffset + 16))
            if let sampleRate, sampleRate != rate {
                throw lineError("'\(name)': sample rate \(rate) Hz, the units before it have \(sampleRate) Hz")
            }
            sampleRate = rate
            let unitOrder = entry.channelCount - 1
            if let order, order != unitOrder {
                throw lineError("'\(name)': LPC order \(unitOrder), the units before it have \(order)")
            }
            order = unitOrder
            if entries[name] == nil {
                entries[name] = entry
                names.append(name)
            }
        }
        let found = indexLines.filter { !$0.isEmpty }.count
        guard found == entryCount else { throw fail("\(entryCount) index lines (NumEntries)", "\(found)") }
        self.entries = entries
        self.names = names
        self.sampleRateHz = sampleRate ?? 16_000
        self.lpcOrder = order ?? 0
    }

    /// Whether the database has a unit of this name.
    public func contains(_ name: String) -> Bool { entries[name] != nil }

    /// The unit `left-right`, rebuilt from its LPC track and residual (and resampled when `sampleRateHz` differs
    /// from the recordings'); nil when the database has none.
    public func unit(_ name: String, sampleRateHz: Int? = nil) -> DiphoneUnit? {
        let rate = sampleRateHz ?? self.sampleRateHz
        let key = rate == self.sampleRateHz ? name : "\(name)@\(rate)"
        lock.lock()
        defer { lock.unlock() }
        if let unit = cache[key] { return unit }
        guard let entry = entries[name] else { return nil }
        let recorded = cache[name] ?? rebuild(entry)
        cache[name] = recorded
        guard rate != self.sampleRateHz else { return recorded }
        let unit = Self.resampled(recorded, to: rate)
        cache[key] = unit
        return unit
    }

    /// A unit at another sample rate (linear interpolation; marks scaled).
    static func resampled(_ unit: DiphoneUnit, to rate: Int) -> DiphoneUnit {
        let ratio = Double(unit.sampleRateHz) / Double(rate)
        let count = Int(Double(unit.samples.count) / ratio)
        var samples = [Float](repeating: 0, count: count)
        unit.samples.withUnsafeBufferPointer { source in
            for index in 0..<count {
                let position = Double(index) * ratio
                let low = min(Int(position), source.count - 1)
                let high = min(low + 1, source.count - 1)
                let fraction = Float(position - Double(low))
                samples[index] = source[low] + (source[high] - source[low]) * fraction
            }
        }
        var result = unit
        result.samples = samples
        result.pitchMarks = unit.pitchMarks.map { min(count - 1, Int((Double($0) / ratio).rounded())) }
        result.sampleRateHz = rate
        return result
    }

    private func rebuild(_ entry: Entry) -> DiphoneUnit {
        let frameFloats = entry.channelCount + (entry.breaksPresent ? 2 : 1)
        let order = entry.channelCount - 1
        let rate = Double(sampleRateHz)
        var residual = [Float](repeating: 0, count: entry.signalByteCount / (entry.signalEncoding == 1 ? 1 : 2))
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            if entry.signalEncoding == 1 {
                for index in residual.indices { residual[index] = Self.muLaw(raw[entry.signalOffset + index]) }
            } else {
                for index in residual.indices {
                    let high = UInt16(raw[entry.signalOffset + 2 * index])
                    let low = UInt16(raw[entry.signalOffset + 2 * index + 1])
                    residual[index] = Float(Int16(bitPattern: high << 8 | low))
                }
            }
        }
        var marks: [Int] = []
        var coefficients = [Float](repeating: 0, count: entry.frameCount * order)  // (frames, order)
        for frame in 0..<entry.frameCount {
            let frameStart = entry.framesOffset + frame * frameFloats * 4
            let time = Self.float(data, frameStart, littleEndian: entry.littleEndian)
            marks.append(min(residual.count - 1, max(0, Int((Double(time) * rate).rounded()))))
            let first = frameStart + (frameFloats - order) * 4
            for k in 0..<order {
                coefficients[frame * order + k] = Self.float(data, first + 4 * k, littleEndian: entry.littleEndian)
            }
        }
        // s[n] = e[n] + Σ a_k s[n−k], frame i's coefficients up to and including its mark.
        var samples = [Float](repeating: 0, count: residual.count)
        var frame = 0
        for n in 0..<samples.count {
            while frame < entry.frameCount - 1 && n > marks[frame] { frame += 1 }
            var value = residual[n]
            let a = frame * order
            for k in stride(from: 1, through: min(order, n), by: 1) {
                value += coefficients[a + k - 1] * samples[n - k]
            }
            samples[n] = value
        }
        // 16-bit scale to ±1; a filter that ran away (a bad unit) is silenced rather than let through.
        var peak: Float = 0
        for index in samples.indices {
            samples[index] /= 32_768
            peak = max(peak, abs(samples[index]))
        }
        if !peak.isFinite || peak > 4 { samples = [Float](repeating: 0, count: samples.count) }
        // Marks must increase: a repeated mark (two frames rounding to one sample) is dropped.
        var increasing: [Int] = []
        var boundary = entry.boundaryFrame
        for (index, mark) in marks.enumerated() {
            if let last = increasing.last, mark <= last {
                if index < entry.boundaryFrame { boundary -= 1 }
                continue
            }
            increasing.append(mark)
        }
        return DiphoneUnit(
            name: entry.name, samples: samples, pitchMarks: increasing,
            boundaryMark: min(max(boundary, 0), increasing.count - 1), sampleRateHz: sampleRateHz)
    }

    private static func readTrackHeader(
        _ data: Data, at offset: Int, limit: Int, name: String, boundary: Int,
        lineError: (String) -> SynthesisError
    ) throws -> Entry {
        guard data.count >= offset + 14, text(data, offset, 14) == "EST_File Track" else {
            throw lineError("'\(name)': no 'EST_File Track' at its track offset, found '\(text(data, offset, 14))'")
        }
        guard let end = find(Array("EST_Header_End\n".utf8), in: data, from: offset, limit: min(4096, limit - offset))
        else { throw lineError("'\(name)': its track header has no 'EST_Header_End' before the residual") }
        var header: [String: String] = [:]
        for line in text(data, offset, end - offset).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { header[String(parts[0])] = String(parts[1]) }
        }
        guard header["DataType"] == "binary" else {
            throw lineError("'\(name)': track DataType \(header["DataType"] ?? "missing"), expected binary")
        }
        guard let byteOrder = header["ByteOrder"], byteOrder == "01" || byteOrder == "10" else {
            throw lineError("'\(name)': track ByteOrder \(header["ByteOrder"] ?? "missing"), expected 01 or 10")
        }
        guard header["EqualSpace"] == nil || header["EqualSpace"] == "0" else {
            throw lineError("'\(name)': an equally spaced track has no pitch marks; expected EqualSpace 0")
        }
        guard let frames = header["NumFrames"].flatMap({ Int($0) }), frames >= 2,
            let channels = header["NumChannels"].flatMap({ Int($0) }), (3...64).contains(channels)
        else {
            throw lineError(
                "'\(name)': track NumFrames \(header["NumFrames"] ?? "missing") and NumChannels "
                    + "\(header["NumChannels"] ?? "missing"), expected at least 2 frames and 3-64 channels")
        }
        guard (0..<frames).contains(boundary) else {
            throw lineError("'\(name)': boundary frame \(boundary) is outside its \(frames) frames")
        }
        let breaks = header["BreaksPresent"] == "true"
        let framesOffset = end + "EST_Header_End\n".utf8.count
        let bytes = frames * (channels + (breaks ? 2 : 1)) * 4
        guard framesOffset + bytes <= limit else {
            throw lineError(
                "'\(name)': \(frames) frames of \(channels) channels need \(bytes) bytes, the track has "
                    + "\(limit - framesOffset) before its residual")
        }
        return Entry(
            name: name, line: 0, boundaryFrame: boundary, frameCount: frames, channelCount: channels,
            breaksPresent: breaks, littleEndian: byteOrder == "01", framesOffset: framesOffset, signalEncoding: 0,
            signalOffset: 0, signalByteCount: 0)
    }

    private static func readSignalHeader(
        _ data: Data, at offset: Int, into entry: inout Entry, lineError: (String) -> SynthesisError
    ) throws {
        let name = entry.name
        guard text(data, offset, 4) == ".snd" else {
            throw lineError("'\(name)': no '.snd' residual at its signal offset, found '\(text(data, offset, 4))'")
        }
        let dataOffset = Int(bigEndian(data, offset + 4))
        let byteCount = Int(bigEndian(data, offset + 8))
        let encoding = bigEndian(data, offset + 12)
        let rate = bigEndian(data, offset + 16)
        let channels = bigEndian(data, offset + 20)
        guard encoding == 1 || encoding == 3 else {
            throw lineError("'\(name)': residual encoding \(encoding), expected 1 (8-bit µ-law) or 3 (16-bit linear)")
        }
        guard channels == 1, (8_000...48_000).contains(rate) else {
            throw lineError("'\(name)': residual of \(channels) channels at \(rate) Hz, expected 1 channel, 8-48 kHz")
        }
        guard dataOffset >= 24, byteCount > 0, offset + dataOffset + byteCount <= data.count else {
            throw lineError(
                "'\(name)': residual of \(byteCount) bytes at +\(dataOffset) runs past the end of the file (truncated?)"
            )
        }
        entry.signalEncoding = encoding
        entry.signalOffset = offset + dataOffset
        entry.signalByteCount = byteCount
    }

    /// G.711 µ-law byte to a 16-bit-scale sample.
    static func muLaw(_ byte: UInt8) -> Float {
        let value = ~byte
        let exponent = Int((value >> 4) & 7)
        let magnitude = ((Int(value & 0x0F) << 3) + 0x84) << exponent - 0x84
        return Float(value & 0x80 != 0 ? -magnitude : magnitude)
    }

    private static func text(_ data: Data, _ offset: Int, _ count: Int) -> String {
        let end = min(data.count, offset + max(0, count))
        guard offset < end else { return "" }
        return String(decoding: data[data.startIndex + offset..<data.startIndex + end], as: UTF8.self)
    }

    private static func find(_ pattern: [UInt8], in data: Data, from start: Int, limit: Int) -> Int? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Int? in
            let end = min(raw.count - pattern.count, start + limit)
            guard start <= end else { return nil }
            for position in start...end where raw[position] == pattern[0] {
                if (1..<pattern.count).allSatisfy({ raw[position + $0] == pattern[$0] }) { return position }
            }
            return nil
        }
    }

    private static func bigEndian(_ data: Data, _ offset: Int) -> UInt32 {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt32 in
            var value: UInt32 = 0
            for index in 0..<4 { value = value << 8 | UInt32(raw[offset + index]) }
            return value
        }
    }

    private static func float(_ data: Data, _ offset: Int, littleEndian: Bool) -> Float {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Float in
            var bits: UInt32 = 0
            for index in 0..<4 {
                bits |= UInt32(raw[offset + index]) << (littleEndian ? 8 * index : 8 * (3 - index))
            }
            return Float(bitPattern: bits)
        }
    }
}
