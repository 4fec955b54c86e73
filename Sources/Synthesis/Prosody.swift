import Foundation

/// Options for how an utterance is spoken.
public struct ProsodyOptions: Sendable, Equatable {
    /// Speaking rate on top of the voice's: 0.8 is slower, for young children. Valid 0.3-3.
    public var rate = 1.0
    /// Pause after a comma, milliseconds (at rate 1).
    public var commaPauseMilliseconds = 180.0
    /// Pause after a full stop, question or exclamation, milliseconds (at rate 1).
    public var sentencePauseMilliseconds = 380.0
    /// Lengthening of the last syllable of a phrase.
    public var phraseFinalLengthening = 1.4
    /// Lengthening of a vowel with primary stress.
    public var stressedLengthening = 1.25

    public init() {}
    public static let `default` = ProsodyOptions()
}

/// One timed sound of an utterance: a phoneme (or a pause, `symbol` "_") with its pitch.
public struct Segment: Sendable, Equatable {
    public var symbol: String
    public var target: PhonemeTarget?
    public var durationMilliseconds: Double
    /// Pitch at the start and end of the segment, Hz (0 in pauses).
    public var startPitchHz: Double
    public var endPitchHz: Double
    public var stress: Stress

    public init(
        symbol: String, target: PhonemeTarget?, durationMilliseconds: Double, startPitchHz: Double,
        endPitchHz: Double, stress: Stress
    ) {
        self.symbol = symbol
        self.target = target
        self.durationMilliseconds = durationMilliseconds
        self.startPitchHz = startPitchHz
        self.endPitchHz = endPitchHz
        self.stress = stress
    }
}

/// Durations and pitch for phrases: intrinsic durations by phoneme, stressed and phrase-final lengthening,
/// pauses, declination, accents on stressed syllables, falling statements and rising yes/no questions.
/// In tone languages (Yoruba, Hausa) a syllable's tone sets its pitch instead of accents: high, mid and low
/// levels (`toneSemitones`) over the declining baseline, so a high tone late in a statement is lower than an early
/// one (downdrift), falling and rising tones move between levels, and consonants carry the pitch of the syllable
/// before them; the phrase end only lowers (statements) or raises (questions) the last syllable a little.
public struct Prosody: Sendable {
    public var language: Language
    public var voice: Voice
    public var targets: PhonemeTargets
    public var options: ProsodyOptions

    /// Question words: a question that starts with one falls like a statement instead of rising.
    static let questionWords: [Language: Set<String>] = [
        .english: ["what", "why", "how", "where", "when", "who", "which", "whose", "whom"],
        .swahili: ["nini", "nani", "wapi", "lini", "gani", "vipi", "kwa", "kwanini", "mbona", "ngapi"],
    ]

    /// Pitch of each tone level relative to the baseline, semitones (scaled by the voice's pitch range).
    static let toneSemitones: [Tone: (start: Double, end: Double)] = [
        .high: (3, 3), .mid: (0, 0), .low: (-3, -3.5), .falling: (3, -3), .rising: (-3, 3),
    ]

    public init(language: Language, voice: Voice, targets: PhonemeTargets, options: ProsodyOptions = .default) {
        self.language = language
        self.voice = voice
        self.targets = targets
        self.options = options
    }

    /// Timed segments for phrases, starting and ending with a short silence.
    public func segments(_ phrases: [Phrase]) -> [Segment] {
        let tempo = 1 / (voice.rate * options.rate)
        var segments: [Segment] = [
            Segment(
                symbol: "_", target: nil, durationMilliseconds: 60, startPitchHz: 0,
                endPitchHz: 0, stress: .none)
        ]
        for phrase in phrases {
            segments += phraseSegments(phrase, tempo: tempo)
            let pause = phrase.ending == .comma ? options.commaPauseMilliseconds : options.sentencePauseMilliseconds
            segments.append(
                Segment(
                    symbol: "_", target: nil, durationMilliseconds: pause * tempo, startPitchHz: 0,
                    endPitchHz: 0, stress: .none))
        }
        return segments
    }

    private func phraseSegments(_ phrase: Phrase, tempo: Double) -> [Segment] {
        var phones: [(Phone, PhonemeTarget)] = []
        for word in phrase.words {
            for phone in word.phones {
                if let target = targets.target(phone.symbol, language: language) { phones.append((phone, target)) }
            }
        }
        guard !phones.isEmpty else { return [] }
        let nuclei = phones.indices.filter { phones[$0].1.phonemeClass.isSyllabic }
        let lastNucleus = nuclei.last ?? phones.count - 1
        let finalStart = (nuclei.count >= 2 ? nuclei[nuclei.count - 2] + 1 : 0)
        // Durations.
        var durations: [Double] = []
        for (index, (phone, target)) in phones.enumerated() {
            var duration = target.durationMilliseconds
            if target.phonemeClass.isSyllabic {
                switch phone.stress {
                case .primary: duration *= options.stressedLengthening
                case .secondary: duration *= 1.05
                case .none: duration *= language == .english ? 0.75 : 0.95
                }
            } else {
                let clustered =
                    (index > 0 && !phones[index - 1].1.phonemeClass.isSyllabic)
                    || (index + 1 < phones.count && !phones[index + 1].1.phonemeClass.isSyllabic)
                if clustered { duration *= 0.85 }
            }
            if index >= finalStart, index > lastNucleus - 1 || index == lastNucleus {
                duration *= options.phraseFinalLengthening
            }
            durations.append(duration * tempo)
        }
        // Pitch: a declining baseline, accents on primary-stressed vowels, the phrase's final movement.
        let total = durations.reduce(0, +)
        let range = voice.pitchRange
        let base = voice.pitchHz
        func semitones(_ value: Double) -> Double { pow(2, value / 12) }
        func baseline(_ time: Double) -> Double {
            base * semitones(range * (1.5 - 3.5 * time / max(total, 1)))
        }
        let isQuestion = phrase.ending == .question
        let rises = isQuestion && !(Self.questionWords[language]?.contains(phrase.firstWord) ?? false)
        var segments: [Segment] = []
        var time = 0.0
        var accents = 0
        if phones.contains(where: { $0.0.tone != nil }) {
            // Tone: levels over the declining baseline; consonants keep the pitch where the last syllable ended.
            var carried: Double?
            for (index, (phone, target)) in phones.enumerated() {
                let duration = durations[index]
                var start = carried ?? baseline(time)
                var end = start
                if let tone = phone.tone, let levels = Self.toneSemitones[tone] {
                    start = baseline(time) * semitones(range * levels.start)
                    end = baseline(time + duration) * semitones(range * levels.end)
                    if index == lastNucleus {
                        end *= semitones(range * (phrase.ending == .question ? 3 : phrase.ending == .comma ? 0 : -1))
                    }
                    carried = end
                }
                segments.append(
                    Segment(
                        symbol: phone.symbol, target: target, durationMilliseconds: duration,
                        startPitchHz: start, endPitchHz: end, stress: phone.stress))
                time += duration
            }
            return segments
        }
        for (index, (phone, target)) in phones.enumerated() {
            let duration = durations[index]
            var start = baseline(time)
            var end = baseline(time + duration)
            if target.phonemeClass.isSyllabic && phone.stress == .primary && index != lastNucleus {
                let height = accents == 0 ? 4.0 : 2.5
                start *= semitones(range * height * 0.6)
                end *= semitones(range * height)
                accents += 1
            }
            if index >= lastNucleus {
                switch phrase.ending {
                case _ where rises:
                    start *= semitones(range * 2)
                    end *= semitones(range * 7)
                case .comma:
                    end *= semitones(range * 2)
                case .fullStop, .exclamation, .question:
                    start *= semitones(range * (phone.stress == .primary ? 2.5 : 0.5))
                    end *= semitones(-range * 2.5)
                }
            }
            segments.append(
                Segment(
                    symbol: phone.symbol, target: target, durationMilliseconds: duration,
                    startPitchHz: start, endPitchHz: end, stress: phone.stress))
            time += duration
        }
        return segments
    }
}
