import TutorCore

/// Finds utterances in a 16 kHz stream: a stage from audio chunks of any size to `EndpointEvent`s.
///
/// ```swift
/// var endpointer = Endpointer(detector: SileroVAD(weights: weights))
/// var events: [EndpointEvent] = []
/// endpointer.process(chunk, into: &events)  // as capture delivers it
/// ```
///
/// The audio is cut into the detector's windows (32 ms). States, one step per window:
/// - idle: a window at `speechThreshold` starts a candidate;
/// - candidate: windows at `silenceThreshold` or more keep it; once it has lasted `minimumSpeechMilliseconds`,
///   `speechStarted` is reported with the candidate's first sample; a window below drops it (a blip);
/// - speaking: a window below `silenceThreshold` reports `silenceStarted` and opens the hangover; the utterance's end
///   is the end of its last window at `speechThreshold` (Silero stays between the thresholds a window or two after
///   speech stops, so this end is the closer one);
/// - hangover: a window at `speechThreshold` reports `speechResumed`; `hangoverMilliseconds` of windows below it
///   end the utterance.
/// While speaking, reaching `maximumUtteranceMilliseconds` from the start ends the utterance too. An
/// endpointer never throws and never blocks; it is not thread-safe (one per pipeline).
public struct Endpointer<Detector: VoiceActivityDetecting>: Stage {
    public typealias Input = [Float]
    public typealias Output = EndpointEvent

    /// The detector giving one speech probability per window.
    public private(set) var detector: Detector
    /// The options, fixed at creation.
    public let options: EndpointOptions
    /// Counts and detector time since creation.
    public private(set) var statistics = EndpointerStatistics()

    private enum State: Equatable {
        case idle
        case candidate(start: Int)
        case speaking(start: Int)
        case hangover(start: Int, silenceStart: Int)
    }

    private var state = State.idle
    private var history: [Float] = []  // input samples from historyStart on, including the unprocessed tail
    private var historyStart = 0
    private var nextWindowStart = 0  // the first sample not yet given to the detector
    private var lastSpeechEnd = 0  // one past the last speech sample of the current utterance

    private let windowSamples: Int
    private let hangoverSamples: Int
    private let minimumSpeechSamples: Int
    private let maximumUtteranceSamples: Int
    private let preRollSamples: Int

    /// An endpointer over `detector` (which it resets) with `options`.
    public init(detector: Detector, options: EndpointOptions = .default) {
        self.detector = detector
        self.detector.reset()
        self.options = options
        windowSamples = max(1, detector.windowSampleCount)
        func samples(_ milliseconds: Int) -> Int { max(0, milliseconds) * speechSampleRateHz / 1000 }
        hangoverSamples = samples(options.hangoverMilliseconds)
        minimumSpeechSamples = samples(options.minimumSpeechMilliseconds)
        maximumUtteranceSamples = max(samples(options.maximumUtteranceMilliseconds), windowSamples)
        preRollSamples = samples(options.preRollMilliseconds)
    }

    /// The total number of samples given so far (the index the next sample will have).
    public var sampleCount: Int { historyStart + history.count }

    /// True from `speechStarted` until the utterance ends.
    public var isInUtterance: Bool {
        switch state {
        case .speaking, .hangover: true
        case .idle, .candidate: false
        }
    }

    /// Takes the next chunk of 16 kHz samples and appends the events its complete windows produce.
    public mutating func process(_ input: [Float], into output: inout [EndpointEvent]) {
        history.append(contentsOf: input)
        while nextWindowStart + windowSamples <= sampleCount {
            step(windowEnd: nextWindowStart + windowSamples, into: &output)
        }
    }

    /// Runs the partial last window (zero-padded) and ends an utterance in progress.
    public mutating func flush(into output: inout [EndpointEvent]) {
        if nextWindowStart < sampleCount { step(windowEnd: sampleCount, into: &output) }
        switch state {
        case .speaking(let start), .hangover(let start, _):
            endUtterance(start: start, ending: .endOfInput, into: &output)
        case .candidate:
            state = .idle
        case .idle:
            break
        }
    }

    /// Forgets the utterance in progress, the held audio and the detector's state (barge-in, a new question).
    /// Sample indices keep counting from where the input is.
    public mutating func reset() {
        historyStart = sampleCount
        history.removeAll(keepingCapacity: true)
        nextWindowStart = historyStart
        state = .idle
        detector.reset()
    }

    /// One window from `nextWindowStart` to `windowEnd` (shorter than a window only at `flush`).
    private mutating func step(windowEnd: Int, into output: inout [EndpointEvent]) {
        let windowStart = nextWindowStart
        let clock = ContinuousClock()
        let started = clock.now
        let probability = history.withUnsafeBufferPointer { all in
            detector.speechProbability(
                UnsafeBufferPointer(rebasing: all[(windowStart - historyStart)..<(windowEnd - historyStart)]))
        }
        let elapsed = (clock.now - started).components
        statistics.detectorMilliseconds += Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) * 1e-15
        statistics.windows += 1
        nextWindowStart = windowEnd
        let isSpeech = probability >= options.speechThreshold
        let isSilence = probability < options.silenceThreshold

        switch state {
        case .idle:
            if isSpeech {
                state = .candidate(start: windowStart)
                lastSpeechEnd = windowEnd
                confirmIfLongEnough(start: windowStart, windowEnd: windowEnd, into: &output)
            }
        case .candidate(let start):
            if isSilence {
                state = .idle
                statistics.blipsIgnored += 1
            } else {
                if isSpeech { lastSpeechEnd = windowEnd }
                confirmIfLongEnough(start: start, windowEnd: windowEnd, into: &output)
            }
        case .speaking(let start):
            if isSilence {
                state = .hangover(start: start, silenceStart: windowStart)
                output.append(.silenceStarted(sampleIndex: windowStart))
            } else {
                if isSpeech { lastSpeechEnd = windowEnd }
            }
        case .hangover(let start, let silenceStart):
            if isSpeech {
                state = .speaking(start: start)
                lastSpeechEnd = windowEnd
                output.append(.speechResumed(sampleIndex: windowStart))
                statistics.resumes += 1
            } else if windowEnd - silenceStart >= hangoverSamples {
                endUtterance(start: start, ending: .silence, into: &output)
                detector.reset()
            }
        }

        // The hangover ends on its own within hangoverMilliseconds, so only ongoing speech is cut.
        if case .speaking(let start) = state, windowEnd - start >= maximumUtteranceSamples {
            endUtterance(start: start, ending: .maximumLength, into: &output)
            statistics.maximumLengthEnds += 1
        }
        if state == .idle { trimHistory() }
    }

    private mutating func confirmIfLongEnough(start: Int, windowEnd: Int, into output: inout [EndpointEvent]) {
        if windowEnd - start >= minimumSpeechSamples {
            state = .speaking(start: start)
            output.append(.speechStarted(sampleIndex: start))
        }
    }

    private mutating func endUtterance(start: Int, ending: Utterance.Ending, into output: inout [EndpointEvent]) {
        let end = min(lastSpeechEnd, sampleCount)  // one past the last speech sample
        let audioStart = max(historyStart, start - preRollSamples)
        let samples = Array(history[(audioStart - historyStart)..<(end - historyStart)])
        let utterance = Utterance(
            audio: MonoAudio(samples: samples, sampleRateHz: speechSampleRateHz), audioStartSampleIndex: audioStart,
            startSampleIndex: start, endSampleIndex: end - 1, ending: ending)
        output.append(.utteranceEnded(utterance))
        statistics.utterances += 1
        state = .idle
    }

    /// While idle, keeps only the pre-roll and the unprocessed tail.
    private mutating func trimHistory() {
        let keepFrom = max(historyStart, nextWindowStart - preRollSamples)
        let excess = keepFrom - historyStart
        if excess >= 4 * windowSamples {
            history.removeFirst(excess)
            historyStart = keepFrom
        }
    }
}
