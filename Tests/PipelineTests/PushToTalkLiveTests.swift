import Audio
import Foundation
import Testing
import TutorCore

@testable import Pipeline

/// A key pressed and released at given microphone samples, as the loop's clock places them.
final class ScriptedKey: PushToTalkInput {
    private var script: [(index: Int, pressed: Bool)] = []
    weak var loop: ListeningLoop<SileroVAD>?

    /// The key moves at microphone sample `index`.
    func schedule(pressed: Bool, atSample index: Int) { script.append((index, pressed)) }

    func takeTransitions() -> [KeyTransition] {
        guard let loop else { return [] }
        var due: [KeyTransition] = []
        while let next = script.first, loop.sampleCount >= next.index,
            let time = loop.captureTime(ofSample: next.index)
        {
            due.append(KeyTransition(isPressed: next.pressed, time: time))
            script.removeFirst()
        }
        return due
    }
}

/// Push-to-talk through the virtual microphone with the real models, measured in microphone samples.
@Suite(.enabled(if: LiveModels.available, "needs whisper-tiny.en.gguf and silero-vad.gguf in the cache"), .serialized)
struct PushToTalkLiveTests {
    @Test func aQuestionSpokenWithoutTheKeyIsIgnoredOneHeldDownIsAnsweredAndAPressStopsTheAnswer() throws {
        // Two questions back to back; the key is held over the second only.
        let ignored = try LiveModels.sample("magnet-nails-en-us-f-175.flac")
        let asked = try LiveModels.sample("sky-blue-en-us-160.flac")
        let room = try Room(
            question: MonoAudio(samples: ignored.samples + asked.samples, sampleRateHz: 16_000), silenceSeconds: 60,
            echoDecibels: -10, echoDelayMilliseconds: 50)
        let loop = try LiveModels.loop(output: room)
        let key = ScriptedKey()
        key.loop = loop
        loop.pushToTalk = key
        key.schedule(pressed: true, atSample: ignored.samples.count)
        key.schedule(pressed: false, atSample: ignored.samples.count + asked.samples.count)
        let events = LoopEvents(loop)
        var pressAt: Int?
        let deadline = Date(timeIntervalSinceNow: 120)
        loop.run(microphone: room) {
            // Half a second into the answer, a short press (a tap: not a question) stops it.
            if pressAt == nil, let start = room.firstSpeakingSample, loop.sampleCount >= start + 8_000 {
                pressAt = loop.sampleCount
                key.schedule(pressed: true, atSample: loop.sampleCount)
                key.schedule(pressed: false, atSample: loop.sampleCount + 1_600)
            }
            return Date() > deadline || (pressAt.map { loop.sampleCount > $0 + 16_000 } ?? false)
        }
        #expect(events.answered.count == 1, "only the question asked with the key held is answered")
        #expect(events.answered.first?.answer?.topicID == "sky-blue")
        let press = try #require(pressAt, "the answer never played half a second")
        #expect(events.bargeIns.count == 1)
        let stopped = try #require(events.bargeIns.first?.stopped)
        #expect(stopped - press <= 640, "the answer went on \(stopped - press) samples after the press")
        #expect(room.speakerStopped(afterPlayingAt: press) != nil, "not playing when the key was pressed")
    }

    @Test func aKeyLetGoAndPressedAgainWithinTheTailIsOneQuestion() throws {
        let asked = try LiveModels.sample("sky-blue-en-us-160.flac")
        let room = try Room(question: asked, silenceSeconds: 30, echoDecibels: -10, echoDelayMilliseconds: 50)
        let loop = try LiveModels.loop(output: room)
        let key = ScriptedKey()
        key.loop = loop
        loop.pushToTalk = key
        let slip = asked.samples.count * 6 / 10
        key.schedule(pressed: true, atSample: 0)
        key.schedule(pressed: false, atSample: slip)
        key.schedule(pressed: true, atSample: slip + 1_280)  // 80 ms later, inside the 150 ms tail
        key.schedule(pressed: false, atSample: asked.samples.count)
        let events = LoopEvents(loop)
        let deadline = Date(timeIntervalSinceNow: 90)
        loop.run(microphone: room) { Date() > deadline || room.firstSpeakingSample != nil }
        #expect(events.answered.count == 1, "the slip split the question into \(events.answered.count)")
        guard case .audio(let heard)? = events.answered.first?.question else {
            Issue.record("no spoken question was answered")
            return
        }
        #expect(heard.samples.count >= asked.samples.count, "only \(heard.samples.count) samples were heard")
        #expect(events.answered.first?.answer?.topicID == "sky-blue")
    }
}

