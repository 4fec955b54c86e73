import Foundation
import Testing
import TutorCore

@testable import Audio

@Suite("Reading speech")
struct ReadSpeechTests {
    /// A 1 kHz tone written at `sampleRateHz` comes back as the same tone at 16 kHz, undelayed.
    @Test(arguments: [44_100, 22_050, 8_000, 16_000])
    func readsAMonoFileAt16kHz(sampleRateHz: Int) throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("tone-\(sampleRateHz).wav")
        let tone = TestSignals.sine(frequencyHz: 1_000, sampleRateHz: sampleRateHz, count: sampleRateHz)
        try SoundFile.write(MonoAudio(samples: tone, sampleRateHz: sampleRateHz), to: url)
        let speech = try SoundFile.readSpeech(url)
        #expect(speech.sampleRateHz == 16_000)
        #expect(speech.samples.count == 16_000)
        let expected = TestSignals.sine(frequencyHz: 1_000, sampleRateHz: 16_000, count: 16_000)
        let error = TestSignals.maximumDifference(Array(speech.samples[800..<15_200]), Array(expected[800..<15_200]))
        #expect(error < 2e-3, "largest difference from the ideal tone \(error)")
    }

    @Test func mixesA48kHzStereoFileToMonoAt16kHz() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("usb-mic.flac")
        // One live channel and one silent, as cheap USB microphones deliver: the mix is the tone at half level.
        let tone = TestSignals.sine(frequencyHz: 1_000, sampleRateHz: 48_000, count: 24_000, amplitude: 0.8)
        let interleaved = tone.flatMap { sample -> [Float] in [sample, 0] }
        try SoundFile.write(InterleavedAudio(samples: interleaved, sampleRateHz: 48_000, channelCount: 2), to: url)
        let speech = try SoundFile.readSpeech(url)
        #expect(speech.sampleRateHz == 16_000)
        #expect(speech.samples.count == 8_000)
        let expected = TestSignals.sine(frequencyHz: 1_000, sampleRateHz: 16_000, count: 8_000, amplitude: 0.4)
        let error = TestSignals.maximumDifference(Array(speech.samples[800..<7_200]), Array(expected[800..<7_200]))
        #expect(error < 2e-3, "largest difference from the ideal tone \(error)")
    }
}
