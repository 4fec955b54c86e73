import Audio
import Foundation
import Logging
import TutorCore

/// Live 16 kHz audio as the listening loop reads it: a capture ring, or a room around one in tests.
public protocol MicrophoneInput: AnyObject {
    /// Waits up to `timeoutSeconds` for samples and returns up to `maxCount`; empty on timeout, nil at the end.
    func read(upTo maxCount: Int, waitingUpTo timeoutSeconds: Double) -> [Float]?
}

extension CaptureRing: MicrophoneInput {}

/// What the listening loop saw and did, in the order it happened; sample indices count microphone samples.
public enum ListeningEvent: Sendable {
    /// The child started speaking (reported once it lasted the endpointer's minimum).
    case speechStarted(sampleIndex: Int)
    /// The question ended at this last speech sample; its answer is committed.
    case questionEnded(AnswerJob, lastSpeechSampleIndex: Int)
    /// The child spoke over the answer from `onsetSampleIndex`; the answer was stopped at `stoppedSampleIndex`.
    case bargeIn(AnswerJob, onsetSampleIndex: Int, stoppedSampleIndex: Int)
    /// The answer was heard to its end (or stopped); the loop listens again.
    case answerFinished(AnswerJob)
}

/// The front half of the streaming graph and its conductor: microphone -> VAD and endpointing -> questions, with
/// preemptive answering and barge-in.
///
/// Reads the microphone on the calling thread (`run`), never blocking on anything but the microphone:
/// - While listening, the endpointer finds questions. When silence begins, the question so far is submitted at
///   once (recognition, retrieval and the model's first sentence run during the hangover); if the child goes on,
///   that work is cancelled; when the hangover passes, it is committed and its audio may be heard.
/// - While the box speaks, the endpointer rests and a `BargeInDetector` watches for the child speaking over the
///   box's own voice (compared with `graph.reference`); then the answer is cancelled, queued sentences and audio
///   are flushed, and the child's new question is heard from its start.
/// Not thread-safe: one loop per microphone.
public final class ListeningLoop<Detector: VoiceActivityDetecting> {
    /// Where questions are answered.
    public let graph: AnsweringGraph
    /// The endpointing options.
    public let endpointOptions: EndpointOptions
    /// The barge-in options.
    public let bargeInOptions: BargeInOptions
    /// Called on the loop's thread as things happen (the kiosk's earcons, the benchmark's accounting).
    public var onEvent: (ListeningEvent) -> Void = { _ in }
    /// When set, a key says when the child talks, for rooms too noisy for always-on listening: voice detection and
    /// voice barge-in rest; a press stops the answer, a release ends the question.
    public var pushToTalk: (any PushToTalkInput)?
    /// Push-to-talk: audio kept from before the press, milliseconds (a child starts as the finger goes down).
    public static var keyPreRollMilliseconds: Int { 100 }
    /// Push-to-talk: audio kept after the release, milliseconds (a child lets go on the last word).
    public static var keyTailMilliseconds: Int { 150 }
    /// Push-to-talk: a press shorter than this is a tap (it stops an answer), not a question.
    public static var shortestKeyQuestionMilliseconds: Int { 250 }

    private var endpointer: Endpointer<Detector>
    private var bargeIn: BargeInDetector<Detector>
    private var echoPath = EchoPath()
    private var echoPathResets = 0
    private var clock = MicrophoneClock(sampleRateHz: speechSampleRateHz)
    private let logger = Logger(label: "pipeline.listen")

    // Microphone audio kept for preemptive questions and for hearing a barge-in from its start.
    private var history: [Float] = []
    private var historyStart = 0
    private let historyLimit = 30 * speechSampleRateHz

    private var micIndex = 0  // microphone samples read so far
    private var endpointerOffset = 0  // microphone index of the endpointer's sample 0
    private var utteranceStart: Int?  // microphone index of the current utterance's first speech sample
    private var preemptive: AnswerJob?
    private var speakingJob: AnswerJob?
    private var echoTailEnd: Int?  // while set, the loop waits for the room to fall silent before listening
    private var bargeInPending: [Float] = []
    private var bargeInWindowStart = 0  // microphone index of `bargeInPending[0]`
    private var keyPressIndex: Int?  // push-to-talk: microphone index of the press, while held
    private var keyReleaseIndex: Int?  // push-to-talk: of the release, until the microphone has caught up with it

    /// A loop over `graph`, with one detector for endpointing and another for barge-in.
    public init(
        graph: AnsweringGraph, endpointDetector: Detector, bargeInDetector: Detector,
        endpointOptions: EndpointOptions = .default, bargeInOptions: BargeInOptions = BargeInOptions()
    ) {
        self.graph = graph
        self.endpointOptions = endpointOptions
        self.bargeInOptions = bargeInOptions
        endpointer = Endpointer(detector: endpointDetector, options: endpointOptions)
        bargeIn = BargeInDetector(detector: bargeInDetector, options: bargeInOptions)
    }

    /// Microphone samples read so far.
    public var sampleCount: Int { micIndex }

    /// When microphone sample `index` was captured, as well as the arrivals tell.
    public func captureTime(ofSample index: Int) -> Date? { clock.time(ofSample: index) }

    /// The microphone sample being captured at `time`.
    public func sampleIndex(at time: Date) -> Double? { clock.sampleIndex(at: time) }

    /// Listens until the microphone ends (a file: the last answer is then heard to its end) or until `shouldStop`
    /// says so (the answer in progress is stopped).
    public func run(microphone: any MicrophoneInput, shouldStop: () -> Bool = { false }) {
        let chunkSamples = 320  // 20 ms: a barge-in is seen within a window of when it is heard
        while true {
            if shouldStop() {
                if let job = speakingJob { graph.cancel(job) }
                break
            }
            guard let chunk = microphone.read(upTo: chunkSamples, waitingUpTo: 0.1) else { break }
            if chunk.isEmpty {
                finishAnswerIfDone()
                continue
            }
            clock.arrived(endIndex: micIndex + chunk.count, at: Date())
            append(chunk)
            if let pushToTalk {
                follow(pushToTalk.takeTransitions())
            } else if speakingJob != nil || echoTailEnd != nil {
                watchForBargeIn(chunk)
            } else {
                listen(chunk)
            }
        }
        if speakingJob == nil && echoTailEnd == nil && pushToTalk == nil {
            var events: [EndpointEvent] = []
            endpointer.flush(into: &events)
            handle(events)
        }
        if let preemptive {
            graph.cancel(preemptive)
            self.preemptive = nil
        }
        if let job = speakingJob {
            _ = job.waitUntilDone(timeoutSeconds: 600)
            finishAnswerIfDone()
        }
    }

    private func append(_ chunk: [Float]) {
        history.append(contentsOf: chunk)
        micIndex += chunk.count
        let excess = history.count - historyLimit
        if excess > historyLimit / 2 {
            history.removeFirst(excess)
            historyStart += excess
        }
    }

    private func audio(from start: Int, to end: Int) -> [Float] {
        let from = max(start, historyStart) - historyStart
        let to = min(max(end, historyStart), micIndex) - historyStart
        return from < to ? Array(history[from..<to]) : []
    }

    private func listen(_ chunk: [Float]) {
        var events: [EndpointEvent] = []
        endpointer.process(chunk, into: &events)
        handle(events)
    }

    private func handle(_ events: [EndpointEvent]) {
        for event in events {
            switch event {
            case .speechStarted(let index):
                utteranceStart = index + endpointerOffset
                onEvent(.speechStarted(sampleIndex: index + endpointerOffset))
            case .silenceStarted(let index):
                guard preemptive == nil, let start = utteranceStart else { continue }
                let preRoll = endpointOptions.preRollMilliseconds * speechSampleRateHz / 1000
                let samples = audio(from: start - preRoll, to: index + endpointerOffset)
                preemptive = graph.submit(
                    .audio(MonoAudio(samples: samples, sampleRateHz: speechSampleRateHz)), preemptive: true)
            case .speechResumed:
                if let job = preemptive {
                    graph.cancel(job)
                    job.updateTimings { $0.preemptiveDiscards += 1 }
                    discardedPreemptive += 1
                    preemptive = nil
                }
            case .utteranceEnded(let utterance):
                questionEnded(utterance)
            }
        }
    }

    /// Preemptive work thrown away since the loop began.
    public private(set) var discardedPreemptive = 0
    /// Answers stopped by the child since the loop began.
    public private(set) var bargeIns = 0

    private func questionEnded(_ utterance: Audio.Utterance) {
        let lastSpeech = utterance.endSampleIndex + endpointerOffset
        let job: AnswerJob
        if let preemptive, utterance.ending == .silence {
            job = preemptive
        } else {
            if let preemptive { graph.cancel(preemptive) }
            job = graph.submit(.audio(utterance.audio))
        }
        preemptive = nil
        utteranceStart = nil
        speak(job, lastSpeech: lastSpeech)
    }

    /// The question whose last speech sample is `lastSpeech` is answered by `job`, now committed and heard.
    private func speak(_ job: AnswerJob, lastSpeech: Int) {
        job.updateTimings { $0.preemptiveDiscards = discardedPreemptive }
        job.commit(speechEnd: clock.time(ofSample: lastSpeech) ?? Date())
        speakingJob = job
        bargeIn.reset()
        bargeInPending.removeAll()
        bargeInWindowStart = micIndex
        onEvent(.questionEnded(job, lastSpeechSampleIndex: lastSpeech))
    }

    private func watchForBargeIn(_ chunk: [Float]) {
        bargeInPending.append(contentsOf: chunk)
        let size = bargeIn.windowSampleCount
        var consumed = 0
        while bargeInPending.count - consumed >= size {
            let windowStart = bargeInWindowStart
            let reference = referenceLevel(windowStart: windowStart, windowEnd: windowStart + size)
            let triggered = bargeInPending.withUnsafeBufferPointer { all in
                let window = UnsafeBufferPointer(rebasing: all[consumed..<(consumed + size)])
                let (residual, powers) = echoPath.process(
                    window, start: windowStart, captureTime: clock.time(ofSample: windowStart),
                    reference: graph.reference, adapt: bargeIn.speechWindows == 0)
                if echoPath.filterResets != echoPathResets {
                    echoPathResets = echoPath.filterResets
                    bargeIn.cancellerReset()
                }
                return residual.withUnsafeBufferPointer {
                    bargeIn.process($0, referenceLevelDecibels: reference, echo: powers)
                }
            }
            consumed += size
            bargeInWindowStart += size
            if triggered {
                let onset = bargeInWindowStart - bargeIn.windowsToTrigger * size
                stopAnswer(onset: onset)
                bargeInPending.removeAll()
                return
            }
        }
        bargeInPending.removeFirst(consumed)
        finishAnswerIfDone()
    }

    private func referenceLevel(windowStart: Int, windowEnd: Int) -> Float? {
        guard let from = clock.time(ofSample: windowStart), let to = clock.time(ofSample: windowEnd) else { return nil }
        return graph.reference.loudestLevelDecibels(
            from: from.addingTimeInterval(-Double(bargeInOptions.echoSearchBeforeMilliseconds) / 1000),
            to: to.addingTimeInterval(Double(bargeInOptions.echoSearchAfterMilliseconds) / 1000))
    }

    /// The child spoke over the box: stop it and hear the new question from its start.
    private func stopAnswer(onset: Int) {
        stopSpeaking(onset: onset)
        // The endpointer hears the new question from a little before its onset.
        let preRoll = endpointOptions.preRollMilliseconds * speechSampleRateHz / 1000
        restartEndpointer(from: onset - preRoll)
    }

    /// Stops the answer being heard: the child interrupted it from microphone index `onset`.
    private func stopSpeaking(onset: Int) {
        if let job = speakingJob {
            graph.cancel(job)
            job.updateTimings { $0.bargeIns += 1 }
            bargeIns += 1
            onEvent(.bargeIn(job, onsetSampleIndex: onset, stoppedSampleIndex: micIndex))
            logger.info("barge-in: the child spoke over answer \(job.id)")
        }
        speakingJob = nil
        echoTailEnd = nil
    }

    /// Push-to-talk: a press stops any answer and starts a question; once the microphone has caught up with the
    /// release (and its tail), the question is answered; a press within that tail carries the question on. A
    /// question held longer than the endpointer's maximum ends there.
    private func follow(_ transitions: [KeyTransition]) {
        for transition in transitions {
            let index = max(clock.sampleIndex(at: transition.time).map { Int($0) } ?? micIndex, historyStart)
            if transition.isPressed {
                if keyPressIndex != nil && keyReleaseIndex != nil {
                    // Pressed again before the release's tail ran out (a finger slipping off the key): the same
                    // question goes on.
                    keyReleaseIndex = nil
                    continue
                }
                guard keyPressIndex == nil else { continue }
                if speakingJob != nil { stopSpeaking(onset: index) }
                keyPressIndex = index
                keyReleaseIndex = nil
                onEvent(.speechStarted(sampleIndex: index))
            } else if let press = keyPressIndex, keyReleaseIndex == nil {
                keyReleaseIndex = max(index, press)
            }
        }
        let rate = speechSampleRateHz
        if let press = keyPressIndex, keyReleaseIndex == nil,
            micIndex - press >= endpointOptions.maximumUtteranceMilliseconds * rate / 1000
        {
            keyReleaseIndex = micIndex
        }
        if let press = keyPressIndex, let release = keyReleaseIndex,
            micIndex >= release + Self.keyTailMilliseconds * rate / 1000
        {
            keyPressIndex = nil
            keyReleaseIndex = nil
            if release - press >= Self.shortestKeyQuestionMilliseconds * rate / 1000 {
                let samples = audio(
                    from: press - Self.keyPreRollMilliseconds * rate / 1000,
                    to: release + Self.keyTailMilliseconds * rate / 1000)
                speak(graph.submit(.audio(MonoAudio(samples: samples, sampleRateHz: rate))), lastSpeech: release)
            }
        }
        finishAnswerIfDone()
    }

    private func restartEndpointer(from start: Int) {
        endpointer.reset()
        let from = max(start, historyStart)
        endpointerOffset = from - endpointer.sampleCount
        listen(audio(from: from, to: micIndex))
    }

    /// When the answer has been heard, waits out the room's echo, then listens again.
    private func finishAnswerIfDone() {
        if let job = speakingJob, job.isDone {
            speakingJob = nil
            if pushToTalk == nil {
                echoTailEnd = micIndex + bargeInOptions.echoTailMilliseconds * speechSampleRateHz / 1000
            }
            onEvent(.answerFinished(job))
        }
        if let end = echoTailEnd, micIndex >= end {
            echoTailEnd = nil
            restartEndpointer(from: micIndex)
        }
    }
}

/// Maps microphone sample indices to when they were captured, from when chunks arrived.
///
/// A chunk arrives after its last sample was captured, never before, so the earliest `arrival - index / rate` over
/// recent chunks is the best estimate of when sample 0 was captured; taking the earliest keeps latency figures
/// from being flattered by a late read. Recent only: a device that was lost and reopened restarts the timeline.
struct MicrophoneClock {
    let sampleRateHz: Int
    private var recent: [(arrival: Date, origin: Date)] = []
    private var origin: Date?

    init(sampleRateHz: Int) { self.sampleRateHz = sampleRateHz }

    mutating func arrived(endIndex: Int, at time: Date) {
        let candidate = time.addingTimeInterval(-Double(endIndex) / Double(sampleRateHz))
        recent.append((time, candidate))
        let horizon = time.addingTimeInterval(-10)
        if let stale = recent.firstIndex(where: { $0.arrival >= horizon }), stale > 0 { recent.removeFirst(stale) }
        origin = recent.map(\.origin).min()
    }

    func time(ofSample index: Int) -> Date? {
        origin.map { $0.addingTimeInterval(Double(index) / Double(sampleRateHz)) }
    }

    func sampleIndex(at time: Date) -> Double? {
        origin.map { time.timeIntervalSince($0) * Double(sampleRateHz) }
    }
}
