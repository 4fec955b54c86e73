import Foundation
import TutorCore

/// A diphone voice: recorded units (a festvox database, or a voice built from recordings) and how our phonemes map
/// onto their phones.
///
///     let voice = try DiphoneVoice(database: DiphoneDatabase(contentsOf: groupFile), phoneMap: map)
///     var render = try voice.renderer(for: segments, sampleRateHz: 16_000)
///     while let samples = render.next(maxSamples: 800) { play(samples) }
///
/// Immutable (its database caches rebuilt units behind a lock), so it may be shared; a `DiphoneRenderer` may not.
public struct DiphoneVoice: Sendable {
    public let database: any DiphoneUnitProviding
    public let phoneMap: DiphonePhoneMap

    public init(database: any DiphoneUnitProviding, phoneMap: DiphonePhoneMap) throws {
        try phoneMap.check(against: database)
        self.database = database
        self.phoneMap = phoneMap
    }

    /// Loads the units and phone map a voice file names (`diphones`, `diphone-phones`; relative to `folder`, or to
    /// the model cache for a `diphones` path starting `$CACHE/`). A file starting with `VTDIPHON` is a built voice
    /// (`RecordedDiphones`), anything else a festvox grouped database.
    public static func load(
        _ voice: Voice, folder: URL, cacheFolder: URL = TutorPaths.cacheDirectory()
    ) throws -> DiphoneVoice {
        guard let database = voice.diphoneDatabase, let phones = voice.diphonePhonesFile else {
            throw SynthesisError.invalidOption(
                name: "voice \(voice.name)", value: "a formant voice",
                expected: "a voice with 'diphones' and 'diphone-phones'")
        }
        let cachePrefix = "$CACHE/"
        let databaseURL =
            database.hasPrefix(cachePrefix)
            ? cacheFolder.appendingPathComponent(String(database.dropFirst(cachePrefix.count)))
            : database.hasPrefix("/") ? URL(fileURLWithPath: database) : folder.appendingPathComponent(database)
        guard FileManager.default.fileExists(atPath: databaseURL.path) else {
            let remedy =
                voice.diphonePackage.map { "install the Debian package \($0) (Scripts/setup does)" }
                ?? (database.hasPrefix(cachePrefix)
                    ? "build it with tutor voice build (Scripts/setup builds the voices Voices/ ships)"
                    : "check 'diphones'")
            throw SynthesisError.fileUnreadable(
                path: databaseURL.path, reason: "the \(voice.name) voice's diphone units are not there; " + remedy)
        }
        let units: any DiphoneUnitProviding =
            try Self.isBuiltVoice(databaseURL)
            ? RecordedDiphones(contentsOf: databaseURL) : DiphoneDatabase(contentsOf: databaseURL)
        return try DiphoneVoice(
            database: units, phoneMap: DiphonePhoneMap.load(from: folder.appendingPathComponent(phones)))
    }

    /// Whether a file starts with the built-voice magic.
    static func isBuiltVoice(_ url: URL) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw SynthesisError.fileUnreadable(path: url.path, reason: "cannot open it")
        }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 8)).map { Array($0) == RecordedDiphones.magic } ?? false
    }

    /// The database phones a segment sequence is spoken with (pauses as the map's pause phone).
    public func phones(_ segments: [Segment]) -> [String] {
        segments.flatMap { phoneMap.phones[$0.symbol] ?? [] }
    }

    /// Diphones a phone sequence needs that the database lacks, in order of first use.
    public func missingDiphones(_ phones: [String]) -> [String] {
        var seen: Set<String> = []
        var missing: [String] = []
        for (left, right) in zip(phones, phones.dropFirst()) {
            let name = "\(left)-\(right)"
            if !database.contains(name), seen.insert(name).inserted { missing.append(name) }
        }
        return missing
    }

    /// A renderer for timed segments (from `Prosody`) at an output sample rate.
    public func renderer(for segments: [Segment], sampleRateHz: Int) throws -> DiphoneRenderer {
        guard (8000...48000).contains(sampleRateHz) else {
            throw SynthesisError.invalidOption(
                name: "sample rate", value: "\(sampleRateHz) Hz", expected: "8000-48000 Hz (16000 or 22050 usual)")
        }
        return DiphoneRenderer(plan: DiphonePlan(voice: self, segments: segments, sampleRateHz: sampleRateHz))
    }
}

/// One half of a diphone placed on the output timeline: its source marks and the output span they stretch over.
struct PlacedHalf {
    /// Index into the plan's units.
    var unit: Int
    /// Source pitch marks `firstMark...lastMark` of the unit.
    var firstMark: Int
    var lastMark: Int
    /// Output span, samples.
    var start: Double
    var end: Double
    /// Gain at the span's start and end: ramps that meet the neighbouring unit's level at the join.
    var startGain: Float = 1
    var endGain: Float = 1
}

/// What to say and when: phones timed by the prosody, the units that say them, and the pitch to say them at.
struct DiphonePlan {
    var sampleRateHz: Int
    var units: [DiphoneUnit]
    var halves: [PlacedHalf]
    /// Output pitch, Hz, at each phone boundary: (time, start pitch, end pitch) per phone; 0 keeps the source's.
    var phoneStarts: [Double]
    var phonePitch: [(start: Double, end: Double)]
    var totalSamples: Int
    /// Diphones the database lacked (spoken with a `similar` stand-in, or from `left-pau` and `pau-right` halves).
    var missing: [String]

    init(voice: DiphoneVoice, segments: [Segment], sampleRateHz: Int) {
        self.sampleRateHz = sampleRateHz
        let rate = Double(sampleRateHz)
        // Phones with their output spans: a phoneme said with several database phones gives the first 60%.
        var phones: [(name: String, start: Double, end: Double, pitch: (Double, Double))] = []
        var time = 0.0
        for segment in segments {
            guard let mapped = voice.phoneMap.phones[segment.symbol] else { continue }
            let length = segment.durationMilliseconds * rate / 1000
            var done = 0.0
            for (index, phone) in mapped.enumerated() {
                let share = mapped.count == 1 ? 1 : index == 0 ? 0.6 : 0.4 / Double(mapped.count - 1)
                func pitch(_ fraction: Double) -> Double {
                    segment.startPitchHz + (segment.endPitchHz - segment.startPitchHz) * fraction
                }
                phones.append((phone, time, time + length * share, (pitch(done), pitch(done + share))))
                time += length * share
                done += share
            }
        }
        totalSamples = Int(time.rounded())
        phoneStarts = phones.map(\.start)
        phonePitch = phones.map { (start: $0.pitch.0, end: $0.pitch.1) }
        units = []
        halves = []
        missing = []
        let pause = voice.phoneMap.phones["_"]?.first ?? "pau"
        var unitIndex: [String: Int] = [:]
        func unit(_ name: String) -> Int? {
            if let index = unitIndex[name] { return index }
            guard let found = voice.database.unit(name, sampleRateHz: sampleRateHz), found.pitchMarks.count >= 2
            else { return nil }
            units.append(found)
            unitIndex[name] = units.count - 1
            return units.count - 1
        }
        for index in phones.indices.dropLast() {
            let left = phones[index]
            let right = phones[index + 1]
            let leftCentre = (left.start + left.end) / 2
            let rightCentre = (right.start + right.end) / 2
            let name = "\(left.name)-\(right.name)"
            var leftUnit = unit(name)
            var rightUnit = leftUnit
            if leftUnit == nil {
                missing.append(name)
                // A stand-in phone on either side (kh-th as k-th), else through a pause (kh-pau, pau-th).
                let lefts = [left.name] + (voice.phoneMap.similar[left.name] ?? [])
                let rights = [right.name] + (voice.phoneMap.similar[right.name] ?? [])
                let standIn = lefts.lazy.flatMap { l in rights.lazy.map { "\(l)-\($0)" } }.first {
                    voice.database.contains($0)
                }
                if let standIn {
                    leftUnit = unit(standIn)
                    rightUnit = leftUnit
                } else {
                    leftUnit = unit("\(left.name)-\(pause)")
                    rightUnit = unit("\(pause)-\(right.name)")
                }
            }
            if let leftUnit {
                let marks = units[leftUnit]
                halves.append(
                    PlacedHalf(
                        unit: leftUnit, firstMark: 0, lastMark: marks.boundaryMark, start: leftCentre, end: left.end))
            }
            if let rightUnit {
                let marks = units[rightUnit]
                halves.append(
                    PlacedHalf(
                        unit: rightUnit, firstMark: marks.boundaryMark, lastMark: marks.pitchMarks.count - 1,
                        start: right.start, end: rightCentre))
            }
        }
        matchLevelsAtJoins()
    }

    /// Where two units meet, each ramps its level over its half so both arrive at their geometric mean: the
    /// recordings of one phone in two carrier words differ in loudness, and a step in level is heard as a click.
    private mutating func matchLevelsAtJoins() {
        for index in halves.indices.dropFirst() where halves[index].unit != halves[index - 1].unit {
            let before = halves[index - 1]
            let after = halves[index]
            let levelBefore = units[before.unit].level(around: before.lastMark)
            let levelAfter = units[after.unit].level(around: after.firstMark)
            guard levelBefore > 1e-5, levelAfter > 1e-5 else { continue }
            let meet = (levelBefore * levelAfter).squareRoot()
            halves[index - 1].endGain = min(4, max(0.25, meet / levelBefore))
            halves[index].startGain = min(4, max(0.25, meet / levelAfter))
        }
    }
}

extension DiphoneUnit {
    /// RMS over the pitch period on each side of a mark.
    func level(around mark: Int) -> Float {
        let centre = pitchMarks[mark]
        let from = mark > 0 ? pitchMarks[mark - 1] : max(0, centre - 80)
        let to = mark + 1 < pitchMarks.count ? pitchMarks[mark + 1] : min(samples.count - 1, centre + 80)
        guard to > from else { return 0 }
        var sum: Float = 0
        for index in from..<to { sum += samples[index] * samples[index] }
        return (sum / Float(to - from)).squareRoot()
    }
}

/// TD-PSOLA over the plan: output pitch marks spaced by the requested pitch; at each, the source pitch period
/// nearest the mapped position is cut out with a Hann window two source periods wide and added in. Where two
/// units meet, the marks in the last `joinMilliseconds` take both units' periods, cross-faded.
///
/// Renders in order and hands out finished samples: the first chunk is ready after a few pitch periods.
/// Not thread-safe: one per utterance.
public struct DiphoneRenderer: Sendable {
    let plan: DiphonePlan
    /// Output samples finished or in progress, from `pendingStart`.
    private var pending: [Float] = []
    private var pendingStart = 0
    private var nextMark = 0.0
    private var half = 0
    /// Cross-fade length either side of a join between units.
    static let joinMilliseconds = 12.0
    /// Periods longer than this (pauses, unvoiced stretches in the source) are cut to it.
    static let maximumPeriodMilliseconds = 20.0

    init(plan: DiphonePlan) { self.plan = plan }

    /// Samples the whole utterance will have.
    public var totalSamples: Int { plan.totalSamples }
    public var sampleRateHz: Int { plan.sampleRateHz }
    /// Diphones the database lacked.
    public var missingDiphones: [String] { plan.missing }

    /// The next samples (up to `maxSamples`), or nil at the end.
    public mutating func next(maxSamples: Int) -> [Float]? {
        guard pendingStart < plan.totalSamples else { return nil }
        let wanted = min(plan.totalSamples, pendingStart + max(1, maxSamples))
        let reach = Self.maximumPeriodMilliseconds * Double(plan.sampleRateHz) / 1000
        // A sample is finished once no later mark's window can reach it.
        while nextMark - reach <= Double(wanted) && nextMark < Double(plan.totalSamples) { renderMark() }
        let end = nextMark >= Double(plan.totalSamples) ? wanted : min(wanted, Int(nextMark - reach))
        let count = max(1, end - pendingStart)
        if pending.count < count { pending += [Float](repeating: 0, count: count - pending.count) }
        let chunk = Array(pending[0..<count])
        pending.removeFirst(count)
        pendingStart += count
        return chunk
    }

    /// Places one output pitch mark at `nextMark` and advances it by the output period there.
    private mutating func renderMark() {
        let time = nextMark
        let halves = plan.halves
        while half + 1 < halves.count && halves[half].end <= time { half += 1 }
        guard !halves.isEmpty, time >= halves[0].start, time < halves[halves.count - 1].end else {
            nextMark += period(at: time, sourcePeriod: 0.01 * Double(plan.sampleRateHz))
            return
        }
        let join = Self.joinMilliseconds * Double(plan.sampleRateHz) / 1000
        let current = halves[half]
        var sourcePeriod = 0.0
        // Cross-fade with the neighbouring half when it is another unit and the mark is near the join.
        if half > 0, halves[half - 1].unit != current.unit, time - current.start < join {
            let weight = Float(0.5 + 0.5 * (time - current.start) / join)
            sourcePeriod = add(half: half - 1, at: time, weight: 1 - weight)
            sourcePeriod = add(half: half, at: time, weight: weight)
        } else if half + 1 < halves.count, halves[half + 1].unit != current.unit, current.end - time < join {
            let weight = Float(0.5 + 0.5 * (current.end - time) / join)
            sourcePeriod = add(half: half, at: time, weight: weight)
            _ = add(half: half + 1, at: time, weight: 1 - weight)
        } else {
            sourcePeriod = add(half: half, at: time, weight: 1)
        }
        nextMark += period(at: time, sourcePeriod: sourcePeriod)
    }

    /// Output period at a time: from the requested pitch, or the source's own where no pitch is asked (pauses).
    private func period(at time: Double, sourcePeriod: Double) -> Double {
        let rate = Double(plan.sampleRateHz)
        var phone = 0
        var low = 0
        var high = plan.phoneStarts.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if plan.phoneStarts[middle] <= time {
                phone = middle
                low = middle + 1
            } else {
                high = middle - 1
            }
        }
        var pitch = 0.0
        if !plan.phonePitch.isEmpty {
            let start = plan.phoneStarts[phone]
            let end = phone + 1 < plan.phoneStarts.count ? plan.phoneStarts[phone + 1] : Double(plan.totalSamples)
            let fraction = end > start ? min(1, max(0, (time - start) / (end - start))) : 0
            let (from, to) = plan.phonePitch[phone]
            pitch = from + (to - from) * fraction
        }
        let period = pitch > 20 ? rate / pitch : sourcePeriod
        return min(Self.maximumPeriodMilliseconds * rate / 1000, max(0.002 * rate, period))
    }

    /// Adds the source period a half maps `time` onto, Hann-windowed, at `time`; returns that source period.
    @discardableResult
    private mutating func add(half index: Int, at time: Double, weight: Float) -> Double {
        let placed = plan.halves[index]
        let unit = plan.units[placed.unit]
        let marks = unit.pitchMarks
        let sourceStart = Double(marks[placed.firstMark])
        let sourceEnd = Double(marks[placed.lastMark])
        let fraction =
            placed.end > placed.start ? min(1, max(0, (time - placed.start) / (placed.end - placed.start))) : 0
        let sourceTime = sourceStart + (sourceEnd - sourceStart) * fraction
        // Nearest mark within the half.
        var mark = placed.firstMark
        var low = placed.firstMark
        var high = placed.lastMark
        while low < high {
            let middle = (low + high) / 2
            if Double(marks[middle]) < sourceTime { low = middle + 1 } else { high = middle }
        }
        mark = low
        if mark > placed.firstMark, sourceTime - Double(marks[mark - 1]) < Double(marks[mark]) - sourceTime {
            mark -= 1
        }
        let limit = Int(Self.maximumPeriodMilliseconds * Double(plan.sampleRateHz) / 1000)
        let centre = marks[mark]
        let leftPeriod = min(
            limit, mark > 0 ? centre - marks[mark - 1] : (mark + 1 < marks.count ? marks[mark + 1] - centre : 80))
        let rightPeriod = min(limit, mark + 1 < marks.count ? marks[mark + 1] - centre : leftPeriod)
        let gain = weight * (placed.startGain + (placed.endGain - placed.startGain) * Float(fraction))
        let outputCentre = Int(time.rounded())
        let needed = outputCentre + rightPeriod - pendingStart + 1
        if pending.count < needed { pending += [Float](repeating: 0, count: needed - pending.count) }
        unit.samples.withUnsafeBufferPointer { source in
            pending.withUnsafeMutableBufferPointer { output in
                for offset in -leftPeriod...rightPeriod {
                    let from = centre + offset
                    let to = outputCentre + offset - pendingStart
                    guard from >= 0, from < source.count, to >= 0 else { continue }
                    let span = Float(offset < 0 ? leftPeriod : rightPeriod)
                    let window = span > 0 ? 0.5 + 0.5 * cos(Float.pi * Float(offset) / span) : 1
                    output[to] += gain * window * source[from]
                }
            }
        }
        return Double(leftPeriod + rightPeriod) / 2
    }
}
