import Audio
import Foundation
import Testing
import TutorCore

@testable import Pipeline

/// The live loop end to end through the virtual microphone, measured in microphone samples (16 per ms).
@Suite(.enabled(if: LiveModels.available, "needs whisper-tiny.en.gguf and silero-vad.gguf in the cache"), .serialized)
struct LiveLoopTests {
    @Test func childSpeechOverTheAnswerStopsItWithin200MillisecondsAndIsHeardAsTheNextQuestion() throws {
        let room = try Room(
            question: LiveModels.sample("sky-blue-en-us-160.flac"), silenceSeconds: 60, echoDecibels: -10,
            echoDelayMilliseconds: 50)
        room.childSpeech = try LiveModels.sample("magnet-nails-en-us-f-175.flac").samples
        room.childAfterAnswerSamples = 8_000  // the child speaks half a second into the answer
        let loop = try LiveModels.loop(output: room)
        let events = LoopEvents(loop)
        let deadline = Date(timeIntervalSinceNow: 120)
        loop.run(microphone: room) {
            Date() > deadline || (events.answered.count == 2 && events.answered[1].firstAnswerSampleTime != nil)
        }
        let childStart = try #require(room.childStartIndex, "the answer never played half a second")
        #expect(events.bargeIns.count == 1)
        // The child's speech begins with the clip's 0.4 s of lead-in silence (Samples/samples.tsv).
        let speechStart = childStart + 6_400
        // Measured in microphone audio: the loop stopped the answer (flushing the speaker at once) after hearing
        // at most 200 ms of the child's speech; and the room's speaker did fall silent.
        let stoppedAfter = try #require(events.bargeIns.first?.stopped) - speechStart
        print("barge-in: the answer stopped \(stoppedAfter / 16) ms after the child began")
        #expect(stoppedAfter <= 3_200, "stopped \(stoppedAfter) samples after the child began")
        #expect(room.speakerStopped(afterPlayingAt: speechStart) != nil, "not playing when the child spoke")
        let onset = try #require(events.bargeIns.first?.onset)
        #expect(onset >= speechStart - 512, "barge-in began at \(onset), before the child's speech at \(speechStart)")
        // The new question is heard as a question of its own and answered.
        #expect(events.answered.count == 2)
        #expect(events.answered.last?.answer?.sentences.isEmpty == false)
    }

    @Test func theBoxsOwnVoiceComingBackTenDecibelsDownAndFiftyMillisecondsLateIsNotABargeIn() throws {
        let room = try Room(
            question: LiveModels.sample("magnet-nails-en-us-f-175.flac"), silenceSeconds: 60, echoDecibels: -10,
            echoDelayMilliseconds: 50)
        let loop = try LiveModels.loop(output: room)
        let events = LoopEvents(loop)
        // The whole answer, echoed: several sentences with their pauses and loud vowels.
        let deadline = Date(timeIntervalSinceNow: 120)
        loop.run(microphone: room) { Date() > deadline || events.answered.first?.isDone == true }
        #expect(events.answered.count == 1)
        #expect(events.bargeIns.isEmpty)
        let spoken = Int((events.answered.first?.timings.answerAudioSeconds ?? 0) * 16_000)
        #expect(spoken > 3 * 16_000)
        #expect(abs(room.answerSamples - spoken) < 16, "the answer was cut short: \(room.answerSamples) of \(spoken)")
    }

    @Test func aMicrophoneThatVanishesAndComesBackIsOpenedAgainAndTheQuestionAnswered() throws {
        // Transfers are 20 ms periods: the device is lost 0.2 s in (twice: the first reopen fails too).
        let room = try Room(
            question: LiveModels.sample("sky-blue-en-us-160.flac"), silenceSeconds: 60, echoDecibels: -10,
            echoDelayMilliseconds: 50, faults: .failing([10: -ENODEV, 11: -ENODEV]))
        let loop = try LiveModels.loop(output: room)
        let events = LoopEvents(loop)
        let deadline = Date(timeIntervalSinceNow: 120)
        loop.run(microphone: room) { Date() > deadline || events.answered.first?.firstAnswerSampleTime != nil }
        #expect(room.microphone.counters.reopens >= 1)
        #expect(events.answered.count == 1)
        #expect(events.answered.first?.answer?.topicID == "sky-blue")
        #expect(events.answered.first?.timings.endOfSpeechToFirstAnswerMilliseconds != nil)
    }
}
