import Foundation
import TutorCore

/// Options for building a recorded voice.
public struct VoiceBuildOptions: Sendable, Equatable {
    /// The voice's sample rate, Hz: recordings above it are resampled, recordings below it refused (they lack the
    /// high frequencies of s, f and sh).
    public var sampleRateHz = 16_000
    /// A take whose loudest 50 ms is below this is silent, dBFS.
    public var silentDecibels = -55.0
    /// ... and below this too quiet to use, dBFS.
    public var quietDecibels = -35.0
    /// A take with more than this share of its samples at full scale (|x| >= 0.99) is clipped.
    public var clippedShare = 0.001
    /// Most of a pause kept at either end of a unit that starts or ends in one, ms.
    public var pauseMilliseconds = 40.0
    /// How far the aligner may move a boundary to the nearest spectral change, ms (0: keep the warping's).
    public var refineMilliseconds = 15.0

    public init() {}
    public static let `default` = VoiceBuildOptions()
}

/// A recording offered for a prompt: its audio, or why there is none.
public enum VoiceTake: Sendable {
    case audio(MonoAudio, note: String?)
    /// No usable file (missing, unreadable); the reason is reported.
    case unavailable(reason: String)
}

/// What a build found: coverage, bad takes, what to re-record.
public struct VoiceBuildReport: Sendable {
    public var promptCount = 0
    public var usedTakes: [String] = []
    /// Takes refused, with the reason (silent, too quiet, clipped, wrong sample rate, missing).
    public var badTakes: [(id: String, reason: String)] = []
    /// Takes used with a remark (resampled).
    public var notes: [(id: String, note: String)] = []
    /// Diphones the prompt list asks for.
    public var neededDiphones: [String] = []
    /// Diphones the voice has.
    public var coveredDiphones: [String] = []
    /// Diphones the prompt list asks for that no usable take gave, with the prompts that have them.
    public var missingDiphones: [(diphone: String, prompts: [String])] = []
    /// Phonemes of the language no take had, with the covered phoneme said in their place.
    public var standIns: [(phoneme: String, standIn: String)] = []
    /// The speaker's median pitch over the chosen units, Hz.
    public var medianPitchHz = 0.0
    /// The speaker's speed relative to the template's durations (1: the same).
    public var rate = 1.0

    /// Prompts to record again: those of the bad takes and those holding a missing diphone.
    public var promptsToRerecord: [String] {
        Array(Set(badTakes.map(\.id) + missingDiphones.flatMap(\.prompts))).sorted()
    }

    /// The report as lines for a person.
    public var lines: [String] {
        var lines = [
            "prompts: \(promptCount), takes used: \(usedTakes.count), bad takes: \(badTakes.count)",
            "diphones: \(coveredDiphones.count) in the voice; the prompt list asks for \(neededDiphones.count), "
                + "\(missingDiphones.count) of them missing",
            String(format: "speaker: median pitch %.0f Hz, rate %.2f of the template's", medianPitchHz, rate),
        ]
        lines += badTakes.map { "bad take \($0.id): \($0.reason)" }
        // One line per kind of note: a whole folder recorded at 22,050 Hz is one remark, not one per take.
        var noteOrder: [String] = []
        var noteTakes: [String: [String]] = [:]
        for (id, note) in notes {
            if noteTakes[note] == nil { noteOrder.append(note) }
            noteTakes[note, default: []].append(id)
        }
        for note in noteOrder {
            let ids = noteTakes[note]!
            let shown = ids.count > 6 ? ids.prefix(5).joined(separator: " ") + " ..." : ids.joined(separator: " ")
            lines.append("note: \(note): \(ids.count == 1 ? "" : "\(ids.count) takes, ")\(shown)")
        }
        lines += missingDiphones.map { "missing \($0.diphone): re-record \($0.prompts.joined(separator: " "))" }
        lines += standIns.map { "no take has /\($0.phoneme)/: said as /\($0.standIn)/" }
        if !promptsToRerecord.isEmpty { lines.append("re-record: \(promptsToRerecord.joined(separator: " "))") }
        return lines
    }
}

/// A built voice: its units and report, and the text of its phone map.
public struct BuiltVoice: Sendable {
    public var units: RecordedDiphones
    public var report: VoiceBuildReport
    /// `Voices/<name>.phones`: every phoneme of the language, said by itself or by the nearest covered one.
    public var phoneMapText: String

    /// `Voices/<name>.voice` naming the units file (`diphones` value) and the phone map file.
    public func voiceText(name: String, language: Language, diphones: String, phones: String, source: String) -> String
    {
        """
        # A recorded \(language.rawValue) voice built by `tutor voice build` from \(source): \
        \(report.usedTakes.count) takes, \(report.coveredDiphones.count) diphones.
        # Pitch and rate are the speaker's own (median of the chosen units; speed against the formant template).
        description    recorded voice \(name) (built from \(source))
        pitch-hz       \(String(format: "%.0f", min(500, max(50, report.medianPitchHz))))
        pitch-range    0.8
        rate           \(String(format: "%.2f", min(3, max(0.3, report.rate))))
        targets        phonemes.targets
        diphones       \(diphones)
        diphone-phones \(phones)

        """
    }
}

/// Builds a diphone voice from recordings of a prompt list (`tutor voice build`).
///
/// For each take: check it (silent, too quiet, clipped, sample rate); render the prompt's phonemes with the formant
/// voice, whose phone boundaries are known, and align the take to it (`SpeechAligner`); mark pitch periods
/// (`PitchMarker`); cut diphones from the middle of one phone to the middle of the next. Then keep, per diphone,
/// the candidate closest to the median duration and pitch of its candidates from the best-aligned take.
/// No I/O: the caller reads the files and hands in the takes.
public struct VoiceBuilder: Sendable {
    public let language: Language
    public let inventory: PhonemeInventory
    public let targets: PhonemeTargets
    public let template: Voice
    public var options: VoiceBuildOptions

    public init(
        language: Language, inventory: PhonemeInventory, targets: PhonemeTargets, template: Voice,
        options: VoiceBuildOptions = .default
    ) {
        self.language = language
        self.inventory = inventory
        self.targets = targets
        self.template = template
        self.options = options
    }

    struct Candidate {
        var unit: DiphoneUnit
        var prompt: String
        var pitchHz: Double
        var cost: Double
    }

    /// The formant template for phones: samples and the phone boundaries (samples), pauses at both ends.
    public func template(_ words: [[String]]) throws -> (samples: [Float], phones: [String], boundaries: [Int]) {
        let phrase = Phrase(
            words: words.map { Word(text: "", phones: $0.map { Phone($0) }, source: .exception) },
            ending: .fullStop, firstWord: "")
        let segments = Prosody(language: language, voice: template, targets: targets).segments([phrase])
        var synthesizer = try FormantSynthesizer(sampleRateHz: options.sampleRateHz, voice: template)
        let frames = FrameBuilder.frames(segments, voice: template, aspirateStops: language == .english)
        var samples: [Float] = []
        synthesizer.render(frames[...], into: &samples)
        var boundaries: [Int] = []
        var time = 0.0
        for segment in segments.dropLast() {
            time += segment.durationMilliseconds
            boundaries.append(Int(time * Double(options.sampleRateHz) / 1000))
        }
        return (samples, segments.map(\.symbol), boundaries)
    }

    /// Why a take cannot be used, or nil; `audio` is at the voice's rate.
    func problem(_ audio: [Float]) -> String? {
        let window = options.sampleRateHz / 20
        var loudest: Float = 0
        var clipped = 0
        var start = 0
        while start < audio.count {
            var sum: Float = 0
            let end = min(audio.count, start + window)
            for n in start..<end {
                sum += audio[n] * audio[n]
                if abs(audio[n]) >= 0.99 { clipped += 1 }
            }
            loudest = max(loudest, (sum / Float(max(1, end - start))).squareRoot())
            start = end
        }
        let decibels = 20 * log10(Double(max(loudest, 1e-10)))
        if decibels < options.silentDecibels {
            return String(format: "silent (loudest 50 ms at %.0f dBFS)", max(-120, decibels))
        }
        if decibels < options.quietDecibels {
            return String(
                format: "too quiet (loudest 50 ms at %.0f dBFS; record at %.0f dBFS or louder)", decibels,
                options.quietDecibels)
        }
        if Double(clipped) > options.clippedShare * Double(audio.count) {
            return String(
                format: "clipped (%d samples at full scale, %.2f%%)", clipped,
                100 * Double(clipped) / Double(audio.count))
        }
        if audio.count < options.sampleRateHz / 5 { return "shorter than 200 ms" }
        return nil
    }

    /// Builds the voice from takes by prompt id; `resample` converts audio above the voice's rate.
    public func build(
        prompts: [DiphonePrompt], takes: [String: VoiceTake],
        resample: (MonoAudio, Int) throws -> MonoAudio
    ) throws -> BuiltVoice {
        var report = VoiceBuildReport()
        report.promptCount = prompts.count
        let rate = options.sampleRateHz
        var candidates: [String: [Candidate]] = [:]
        var needed: [String: [String]] = [:]
        var neededOrder: [String] = []
        var recordedMilliseconds = 0.0
        var templateMilliseconds = 0.0
        var aligner = SpeechAligner(sampleRateHz: rate)
        aligner.refineMilliseconds = options.refineMilliseconds
        let marker = PitchMarker(sampleRateHz: rate)
        for prompt in prompts {
            let phones = ["_"] + prompt.phones + ["_"]
            for (left, right) in zip(phones, phones.dropFirst()) {
                let name = "\(left)-\(right)"
                if needed[name] == nil { neededOrder.append(name) }
                if needed[name]?.contains(prompt.id) != true { needed[name, default: []].append(prompt.id) }
            }
            guard let take = takes[prompt.id] else {
                report.badTakes.append((prompt.id, "no recording (\(prompt.id).wav or .flac)"))
                continue
            }
            guard case .audio(var audio, let note) = take else {
                if case .unavailable(let reason) = take { report.badTakes.append((prompt.id, reason)) }
                continue
            }
            if let note { report.notes.append((prompt.id, note)) }
            if audio.sampleRateHz < rate {
                report.badTakes.append(
                    (
                        prompt.id,
                        "recorded at \(audio.sampleRateHz) Hz: nothing above \(audio.sampleRateHz / 2) Hz, so s and f "
                            + "would be dull; record at \(rate) Hz or more"
                    ))
                continue
            }
            if audio.sampleRateHz > rate {
                report.notes.append((prompt.id, "resampled from \(audio.sampleRateHz) Hz to \(rate) Hz"))
                audio = try resample(audio, rate)
            }
            if let problem = problem(audio.samples) {
                report.badTakes.append((prompt.id, problem))
                continue
            }
            let spoken = try template(prompt.words)
            guard spoken.phones == phones else {
                report.badTakes.append((prompt.id, "the template dropped phonemes it has no target for"))
                continue
            }
            let (boundaries, cost) = aligner.align(
                template: spoken.samples, boundaries: spoken.boundaries, recording: audio.samples)
            let track = marker.pitchTrack(audio.samples)
            let voiced = track.filter { $0 > 0 }.sorted()
            guard !voiced.isEmpty else {
                report.badTakes.append((prompt.id, "no voiced speech found (noise only?)"))
                continue
            }
            let spacing = Int(Double(rate) / voiced[voiced.count / 2])
            let marks = marker.marks(audio.samples, track: track, unvoicedSpacing: spacing)
            report.usedTakes.append(prompt.id)
            if boundaries.count >= 2 {
                recordedMilliseconds += Double(boundaries[boundaries.count - 1] - boundaries[0]) * 1000 / Double(rate)
                templateMilliseconds +=
                    Double(spoken.boundaries[spoken.boundaries.count - 1] - spoken.boundaries[0]) * 1000 / Double(rate)
            }
            // Phone spans: from one boundary to the next; the pauses at the ends keep at most pauseMilliseconds.
            let pause = Int(options.pauseMilliseconds * Double(rate) / 1000)
            var starts = [max(0, boundaries[0] - 2 * pause)] + boundaries
            var ends = boundaries + [min(audio.samples.count, boundaries[boundaries.count - 1] + 2 * pause)]
            starts[0] = min(starts[0], ends[0])
            ends[ends.count - 1] = max(ends[ends.count - 1], starts[starts.count - 1])
            for index in 0..<(phones.count - 1) {
                let from = (starts[index] + ends[index]) / 2
                let to = (starts[index + 1] + ends[index + 1]) / 2
                let boundary = boundaries[index]
                guard to - from > rate / 200, boundary > from, boundary < to else { continue }
                guard
                    let unit = cut(
                        audio.samples, marks: marks, from: from, to: to, boundary: boundary,
                        name: "\(phones[index])-\(phones[index + 1])")
                else { continue }
                let unitPitch = zip(unit.pitchMarks, unit.pitchMarks.dropFirst()).map { Double($1 - $0) }
                    .filter { $0 < Double(rate) / 60 }.sorted()
                let pitch = unitPitch.isEmpty ? 0 : Double(rate) / unitPitch[unitPitch.count / 2]
                candidates[unit.name, default: []].append(
                    Candidate(unit: unit, prompt: prompt.id, pitchHz: pitch, cost: cost))
            }
        }
        var chosen: [DiphoneUnit] = []
        var pitches: [Double] = []
        for name in neededOrder {
            guard let options = candidates[name], !options.isEmpty else { continue }
            let durations = options.map { Double($0.unit.samples.count) }.sorted()
            let medianDuration = durations[durations.count / 2]
            let voicedPitches = options.map(\.pitchHz).filter { $0 > 0 }.sorted()
            let medianPitch = voicedPitches.isEmpty ? 0 : voicedPitches[voicedPitches.count / 2]
            let costs = options.map(\.cost).sorted()
            let medianCost = max(1e-6, costs[costs.count / 2])
            func score(_ candidate: Candidate) -> Double {
                var score = abs(Double(candidate.unit.samples.count) / medianDuration - 1)
                if medianPitch > 0, candidate.pitchHz > 0 { score += abs(candidate.pitchHz / medianPitch - 1) }
                return score + 0.5 * candidate.cost / medianCost
            }
            let best = options.min { score($0) < score($1) }!
            chosen.append(best.unit)
            if best.pitchHz > 0 { pitches.append(best.pitchHz) }
        }
        guard !chosen.isEmpty else {
            throw SynthesisError.invalidOption(
                name: "recordings", value: "no usable take among \(prompts.count) prompts",
                expected: "at least one clean recording (see the bad takes above)")
        }
        pitches.sort()
        report.medianPitchHz = pitches.isEmpty ? template.pitchHz : pitches[pitches.count / 2]
        report.rate = recordedMilliseconds > 0 ? templateMilliseconds / recordedMilliseconds : 1
        report.neededDiphones = neededOrder
        report.coveredDiphones = chosen.map(\.name)
        report.missingDiphones = neededOrder.filter { candidates[$0] == nil }.map { ($0, needed[$0] ?? []) }
        let units = RecordedDiphones(units: chosen, sampleRateHz: rate)
        let (mapText, standIns) = phoneMap(covered: Set(units.phones))
        report.standIns = standIns
        return BuiltVoice(units: units, report: report, phoneMapText: mapText)
    }

    /// A unit from `from` to `to` with the marks inside, a mark at each end, and the boundary's mark index.
    func cut(_ samples: [Float], marks: [Int], from: Int, to: Int, boundary: Int, name: String) -> DiphoneUnit? {
        var inside = marks.filter { $0 > from && $0 < to - 1 }.map { $0 - from }
        inside.insert(0, at: 0)
        inside.append(to - from - 1)
        let relative = boundary - from
        var boundaryMark = inside.firstIndex { $0 >= relative } ?? inside.count - 1
        if boundaryMark == 0 { boundaryMark = 1 }
        guard inside.count >= 2 else { return nil }
        return DiphoneUnit(
            name: name, samples: Array(samples[from..<to]), pitchMarks: inside, boundaryMark: boundaryMark,
            sampleRateHz: options.sampleRateHz)
    }

    /// The phone map text: covered phonemes say themselves; the others the nearest covered one by their targets;
    /// `similar` lines name each covered phone's two nearest, for diphones the voice lacks.
    func phoneMap(covered: Set<String>) -> (String, [(phoneme: String, standIn: String)]) {
        func distance(_ a: String, _ b: String) -> Double {
            guard let x = targets.target(a, language: language), let y = targets.target(b, language: language)
            else { return .infinity }
            var sum = x.phonemeClass == y.phonemeClass ? 0.0 : 3.0
            if x.voiced != y.voiced { sum += 1 }
            if x.nasal != y.nasal { sum += 1 }
            for (f, g) in zip(x.formantsHz, y.formantsHz) where f > 0 && g > 0 { sum += abs(log(f / g)) }
            return sum
        }
        let phones = covered.filter { $0 != "_" }.sorted()
        var lines = [
            "# Built by tutor voice build: our phonemes to the built voice's phones (its units are named with our",
            "# symbols). A phoneme no take had is said with the nearest covered one.", "_ _",
        ]
        var standIns: [(String, String)] = []
        for symbol in inventory.symbols {
            if covered.contains(symbol) {
                lines.append("\(symbol) \(symbol)")
            } else if let nearest = phones.min(by: { distance(symbol, $0) < distance(symbol, $1) }) {
                lines.append("\(symbol) \(nearest)")
                standIns.append((symbol, nearest))
            }
        }
        for phone in phones {
            let nearest = phones.filter { $0 != phone }.sorted { distance(phone, $0) < distance(phone, $1) }.prefix(2)
            if !nearest.isEmpty { lines.append("similar \(phone) \(nearest.joined(separator: " "))") }
        }
        return (lines.joined(separator: "\n") + "\n", standIns)
    }
}
