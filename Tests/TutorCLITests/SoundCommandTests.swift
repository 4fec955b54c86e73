import Audio
import Foundation
import Testing
import TutorCore

/// `tutor devices`, `record`, `play` on a machine with no sound card, through ALSA's null and file PCMs.
@Suite struct SoundCommandTests {
    let stereoSample = "Samples/sky-blue-en-us-160-48k-stereo.wav"

    @Test func devicesExitsZeroAndListsTheNullDevice() throws {
        let result = try TutorProcess.run(["devices"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("null"))
    }

    @Test func recordingAMicFileWritesOurResamplersOutputWithinOneSixteenBitStep() throws {
        let folder = try TutorProcess.temporaryFolder()
        let output = folder.appendingPathComponent("question.flac")
        let result = try TutorProcess.run(["record", "--mic-file", stereoSample, "--fast", "-o", output.path])
        #expect(result.status == 0, "\(result.error)")

        let recorded = try SoundFile.read(output)
        let source = try SoundFile.read(TutorProcess.repository.appendingPathComponent(stereoSample))
        let expected = Resampler.resample(source.mixedToMono(), to: speechSampleRateHz)
        #expect(recorded.sampleRateHz == 16_000 && recorded.channelCount == 1)
        #expect(recorded.samples.count == expected.samples.count)
        // One step of a 16-bit sample, plus rounding of the expected value itself.
        let step: Float = 1.0 / 32_768
        let worst = zip(recorded.samples, expected.samples).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= step * 1.01, "largest difference \(worst * 32_768) steps")
        #expect(expected.samples.contains { abs($0) > 0.1 }, "the sample must hold speech for this to mean anything")
    }

    @Test func recordingFromAMissingDeviceNamesItAndALSAsReasonThenGivesUpWhenAsked() throws {
        let folder = try TutorProcess.temporaryFolder()
        let output = folder.appendingPathComponent("never.flac")
        let result = try TutorProcess.run(
            ["record", "--device", "hw:7,0", "-o", output.path, "--give-up-after", "1"])
        #expect(result.status != 0)
        #expect(result.error.contains("'hw:7,0'"))
        #expect(result.error.contains("No such file or directory"))
        #expect(result.error.contains("retrying"))
        #expect(!FileManager.default.fileExists(atPath: output.path), "no empty recording is left behind")
    }

    @Test func playingWithoutASoundCardFallsBackToTheNullDeviceAndSaysSo() throws {
        guard !AudioDevices.hasSoundCard else { return }
        let result = try TutorProcess.run(["play", "Samples/sky-blue-en-us-160.flac"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("'null'"))
        #expect(result.error.contains("played"))
    }

    @Test func playingAFileThatIsNotSoundNamesIt() throws {
        let folder = try TutorProcess.temporaryFolder()
        let garbage = folder.appendingPathComponent("notes.wav")
        try Data("these are not samples".utf8).write(to: garbage)
        let result = try TutorProcess.run(["play", garbage.path, "--device", "null"])
        #expect(result.status != 0)
        #expect(result.error.contains(garbage.path))
    }
}
