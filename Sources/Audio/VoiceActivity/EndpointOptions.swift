import TutorCore

/// How the endpointer turns per-window speech probabilities into utterances; all durations in milliseconds.
public struct EndpointOptions: Sendable, Equatable {
    /// Silence after speech that ends an utterance. Children pause mid-sentence: below 500 ms cuts them off.
    public var hangoverMilliseconds = 600
    /// Speech shorter than this is a blip (a cough, a knock on the box) and starts nothing. It also delays
    /// `speechStarted` by as much, so barge-in wants it small.
    public var minimumSpeechMilliseconds = 150
    /// An utterance is ended at this length even while speech goes on (a stuck-open microphone, a radio).
    public var maximumUtteranceMilliseconds = 20_000
    /// Audio kept from before the detected start and put at the head of the utterance: soft onsets score low.
    public var preRollMilliseconds = 300
    /// A window at or above this probability is speech (Silero's own default).
    public var speechThreshold: Float = 0.5
    /// Once speaking, only a window below this is silence; between the two thresholds the state holds.
    public var silenceThreshold: Float = 0.35

    /// The defaults above.
    public init() {}

    /// The defaults above.
    public static let `default` = EndpointOptions()
}

/// What the endpointer saw; sample indices count from the first sample given after creation.
public enum EndpointEvent: Sendable, Equatable {
    /// Speech began at this sample (reported once it has lasted `minimumSpeechMilliseconds`).
    case speechStarted(sampleIndex: Int)
    /// Speech stopped: this is the first silent sample. Speculative recognition may start here.
    case silenceStarted(sampleIndex: Int)
    /// Speech came back within the hangover, at this sample: throw speculative work away.
    case speechResumed(sampleIndex: Int)
    /// The utterance is complete.
    case utteranceEnded(Utterance)
}

/// One utterance: its audio with pre-roll and where it lies in the input.
public struct Utterance: Sendable, Equatable {
    /// Why the utterance ended.
    public enum Ending: Sendable, Equatable {
        /// The hangover passed in silence.
        case silence
        /// It reached `maximumUtteranceMilliseconds`.
        case maximumLength
        /// The input ended (`flush`).
        case endOfInput
    }

    /// From `audioStartSampleIndex` through `endSampleIndex`, 16 kHz.
    public var audio: MonoAudio
    /// The input index of `audio.samples[0]`: the speech start less the pre-roll (never before the input began).
    public var audioStartSampleIndex: Int
    /// The first speech sample.
    public var startSampleIndex: Int
    /// The last speech sample, for latency accounting: the last sample of the last window at `speechThreshold`.
    public var endSampleIndex: Int
    /// Why it ended.
    public var ending: Ending

    /// An utterance from its parts (the endpointer makes them; tests and fakes may too).
    public init(
        audio: MonoAudio, audioStartSampleIndex: Int, startSampleIndex: Int, endSampleIndex: Int, ending: Ending
    ) {
        self.audio = audio
        self.audioStartSampleIndex = audioStartSampleIndex
        self.startSampleIndex = startSampleIndex
        self.endSampleIndex = endSampleIndex
        self.ending = ending
    }
}

/// What an endpointer has done since it was created (a reset does not clear it), for `--timings`.
public struct EndpointerStatistics: Sendable, Equatable {
    /// Windows given to the detector.
    public var windows = 0
    /// Candidates dropped for being shorter than `minimumSpeechMilliseconds`.
    public var blipsIgnored = 0
    /// Utterances ended, for any reason.
    public var utterances = 0
    /// Utterances cut at `maximumUtteranceMilliseconds`.
    public var maximumLengthEnds = 0
    /// Pauses that ended within the hangover (speculative work thrown away).
    public var resumes = 0
    /// Time spent in the detector, in milliseconds.
    public var detectorMilliseconds = 0.0

    /// All zero.
    public init() {}
}
