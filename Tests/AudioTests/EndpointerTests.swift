import Foundation
import Testing
import TutorCore

@testable import Audio

/// The endpointer's state machine, driven by a detector that calls a window speech exactly when it is loud.
///
/// Signals are built from whole 512-sample windows so every expected index is exact.
@Suite("Endpointing")
struct EndpointerTests {
    static let window = 512

    /// `windows` windows of a loud tone (speech to `LevelDetector`).
    static func speech(windows: Int) -> [Float] {
        (0..<windows * window).map { Float(0.5 * sin(2 * Double.pi * 220 * Double($0) / 16_000)) }
    }

    /// `windows` windows of near silence.
    static func silence(windows: Int) -> [Float] { [Float](repeating: 0.001, count: windows * window) }

    static func run(_ signal: [Float], options: EndpointOptions = .default, chunk: Int = 1_000) -> [EndpointEvent] {
        var endpointer = Endpointer(detector: LevelDetector(), options: options)
        var events: [EndpointEvent] = []
        for start in stride(from: 0, to: signal.count, by: chunk) {
            endpointer.process(Array(signal[start..<min(start + chunk, signal.count)]), into: &events)
        }
        endpointer.flush(into: &events)
        return events
    }

    static func utterances(_ events: [EndpointEvent]) -> [Utterance] {
        events.compactMap { if case .utteranceEnded(let utterance) = $0 { utterance } else { nil } }
    }

    @Test func aPauseShorterThanTheHangoverDoesNotEndTheUtterance() {
        // 600 ms hangover; a pause of 15 windows = 480 ms.
        let signal =
            Self.silence(windows: 20) + Self.speech(windows: 20) + Self.silence(windows: 15)
            + Self.speech(windows: 20) + Self.silence(windows: 40)
        let events = Self.run(signal)
        let w = Self.window
        #expect(events.count == 5)
        #expect(events.first == .speechStarted(sampleIndex: 20 * w))
        #expect(events.dropFirst().first == .silenceStarted(sampleIndex: 40 * w))
        #expect(events.dropFirst(2).first == .speechResumed(sampleIndex: 55 * w))
        #expect(events.dropFirst(3).first == .silenceStarted(sampleIndex: 75 * w))
        let utterances = Self.utterances(events)
        #expect(utterances.count == 1)
        #expect(utterances.first?.startSampleIndex == 20 * w)
        #expect(utterances.first?.endSampleIndex == 75 * w - 1)
        #expect(utterances.first?.ending == .silence)
    }

    @Test func aPauseLongerThanTheHangoverEndsTheUtterance() {
        // A pause of 22 windows = 704 ms.
        let signal =
            Self.silence(windows: 20) + Self.speech(windows: 20) + Self.silence(windows: 22)
            + Self.speech(windows: 20) + Self.silence(windows: 40)
        let utterances = Self.utterances(Self.run(signal))
        let w = Self.window
        #expect(utterances.map(\.startSampleIndex) == [20 * w, 62 * w])
        #expect(utterances.map(\.endSampleIndex) == [40 * w - 1, 82 * w - 1])
        #expect(utterances.map(\.ending) == [.silence, .silence])
    }

    @Test func theUtteranceEndsOnceTheHangoverHasPassedNotBefore() {
        var endpointer = Endpointer(detector: LevelDetector())
        var events: [EndpointEvent] = []
        endpointer.process(
            Self.silence(windows: 10) + Self.speech(windows: 10) + Self.silence(windows: 18), into: &events)
        #expect(Self.utterances(events).isEmpty, "18 windows = 576 ms of silence is within the 600 ms hangover")
        endpointer.process(Self.silence(windows: 1), into: &events)
        #expect(Self.utterances(events).count == 1, "19 windows = 608 ms ends it")
    }

    @Test func aBlipShorterThanTheMinimumSpeechIsIgnored() {
        // 150 ms minimum; 4 windows = 128 ms.
        let events = Self.run(Self.silence(windows: 10) + Self.speech(windows: 4) + Self.silence(windows: 40))
        #expect(events.isEmpty)
        let longer = Self.run(Self.silence(windows: 10) + Self.speech(windows: 5) + Self.silence(windows: 40))
        #expect(Self.utterances(longer).count == 1, "5 windows = 160 ms is speech")
    }

    @Test func theMaximumLengthForcesAnEndAndSpeechGoingOnStartsAnotherUtterance() {
        var options = EndpointOptions()
        options.maximumUtteranceMilliseconds = 1_024  // 32 windows
        let events = Self.run(
            Self.silence(windows: 10) + Self.speech(windows: 80) + Self.silence(windows: 40), options: options)
        let utterances = Self.utterances(events)
        let w = Self.window
        #expect(utterances.first?.ending == .maximumLength)
        #expect(utterances.first?.startSampleIndex == 10 * w)
        #expect(utterances.first?.endSampleIndex == 42 * w - 1)
        #expect(utterances.count == 3)
        #expect(utterances.map(\.ending) == [.maximumLength, .maximumLength, .silence])
        #expect(utterances.last?.endSampleIndex == 90 * w - 1)
    }

    @Test func thePreRollIsIncludedInTheUtteranceAudio() {
        let signal = Self.silence(windows: 30) + Self.speech(windows: 20) + Self.silence(windows: 40)
        let utterance = Self.utterances(Self.run(signal)).first
        let preRoll = 300 * 16
        let w = Self.window
        #expect(utterance?.audioStartSampleIndex == 30 * w - preRoll)
        #expect(utterance?.audio.samples == Array(signal[(30 * w - preRoll)..<(50 * w)]))
        #expect(utterance?.audio.sampleRateHz == 16_000)
    }

    @Test func thePreRollStopsAtTheStartOfTheInput() {
        let utterance = Self.utterances(Self.run(Self.silence(windows: 2) + Self.speech(windows: 20))).first
        #expect(utterance?.audioStartSampleIndex == 0)
        #expect(utterance?.startSampleIndex == 2 * Self.window)
        #expect(utterance?.ending == .endOfInput)
        #expect(utterance?.audio.samples.count == 22 * Self.window)
    }

    @Test(arguments: [1, 7, 160, 512, 513, 4_000])
    func chunksOfAnySizeGiveTheSameEvents(chunk: Int) {
        let signal =
            Self.silence(windows: 20) + Self.speech(windows: 20) + Self.silence(windows: 15)
            + Self.speech(windows: 7) + Self.silence(windows: 30) + Self.speech(windows: 9) + [0.5, 0.5, 0.5]
        #expect(Self.run(signal, chunk: chunk) == Self.run(signal, chunk: signal.count))
    }

    @Test func resetForgetsTheUtteranceInProgressAndTheDetectorState() {
        var endpointer = Endpointer(detector: LevelDetector())
        var events: [EndpointEvent] = []
        endpointer.process(Self.silence(windows: 10) + Self.speech(windows: 10), into: &events)
        #expect(endpointer.isInUtterance)
        let resetsBefore = endpointer.detector.resets
        endpointer.reset()
        #expect(!endpointer.isInUtterance)
        #expect(endpointer.detector.resets == resetsBefore + 1)
        endpointer.process(Self.silence(windows: 40), into: &events)
        endpointer.flush(into: &events)
        #expect(Self.utterances(events).isEmpty)
        #expect(endpointer.sampleCount == 60 * Self.window, "indices keep counting through a reset")
    }

    @Test func speechAfterAResetIsIndexedFromTheWholeInput() {
        var endpointer = Endpointer(detector: LevelDetector())
        var events: [EndpointEvent] = []
        endpointer.process(Self.speech(windows: 10) + [0.5, 0.5], into: &events)
        endpointer.reset()
        endpointer.process(
            Self.silence(windows: 4) + Self.speech(windows: 10) + Self.silence(windows: 30), into: &events)
        let utterances = Self.utterances(events)
        #expect(utterances.count == 1)
        #expect(utterances.first?.startSampleIndex == 10 * Self.window + 2 + 4 * Self.window)
    }

    @Test func valuesBetweenTheThresholdsHoldTheCurrentState() {
        // A detector that reads the probability from the signal itself: each window's first sample.
        struct Scripted: VoiceActivityDetecting {
            var windowSampleCount = 512
            mutating func speechProbability(_ window: UnsafeBufferPointer<Float>) -> Float { window[0] }
            mutating func reset() {}
        }
        let probabilities: [Float] =
            [0, 0.4, 0.4, 0.4, 0.4, 0.4, 0.6, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.3, 0.6]
            + [Float](repeating: 0.4, count: 30)
        let signal = probabilities.flatMap { [Float](repeating: $0, count: 512) }
        var endpointer = Endpointer(detector: Scripted())
        var events: [EndpointEvent] = []
        endpointer.process(signal, into: &events)
        let w = Self.window
        // 0.4 never starts speech; once speaking it keeps it; 0.3 opens the hangover; 0.4 does not resume it.
        #expect(
            events.prefix(3) == [
                .speechStarted(sampleIndex: 6 * w), .silenceStarted(sampleIndex: 13 * w),
                .speechResumed(sampleIndex: 14 * w),
            ])
        #expect(events.count == 3)
    }

    @Test func statisticsCountWindowsBlipsResumesAndEnds() {
        var options = EndpointOptions()
        options.maximumUtteranceMilliseconds = 1_024
        var endpointer = Endpointer(detector: LevelDetector(), options: options)
        var events: [EndpointEvent] = []
        let signal =
            Self.silence(windows: 10) + Self.speech(windows: 2) + Self.silence(windows: 10)
            + Self.speech(windows: 10) + Self.silence(windows: 5) + Self.speech(windows: 40) + Self.silence(windows: 30)
        endpointer.process(signal, into: &events)
        let statistics = endpointer.statistics
        #expect(statistics.windows == 107)
        #expect(statistics.blipsIgnored == 1)
        #expect(statistics.resumes == 1)
        #expect(statistics.maximumLengthEnds == 1)
        #expect(statistics.utterances == 2)
        #expect(statistics.detectorMilliseconds > 0)
    }
}
