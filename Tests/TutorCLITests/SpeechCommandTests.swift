import Audio
import Foundation
import Testing

/// `tutor say` and `tutor phonemes` as a user runs them.
@Suite struct SpeechCommandTests {
    @Test func sayWritesASpokenWaveFile() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("jua.wav")
        let result = try TutorProcess.run(["say", "--lang", "sw", "Jua ni moto.", "-o", file.path])
        #expect(result.status == 0, "\(result.error)")
        let audio = try SoundFile.read(file)
        #expect(audio.sampleRateHz == 22_050)
        #expect(audio.frameCount > 22_050 / 2)
    }

    @Test func sayWithAnUnknownLanguageNamesTheSupportedOnes() throws {
        let result = try TutorProcess.run(["say", "--lang", "xx", "hello", "-o", "/dev/null"])
        #expect(result.status != 0)
        #expect(result.error.contains("unknown language code 'xx'; supported: en, sw"))
    }

    @Test func sayWithNothingToSayFailsClearly() throws {
        let result = try TutorProcess.run(["say", "--lang", "sw", "🙂", "-o", "/dev/null"])
        #expect(result.status != 0)
        #expect(result.error.contains("nothing pronounceable"))
    }

    @Test func phonemesPrintsSwahiliIPA() throws {
        let result = try TutorProcess.run(["phonemes", "--lang", "sw", "Ng'ombe anakunywa maji."])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == "ŋ ˈo m b e | a n a k ˈu ɲ w a | m ˈa dʒ i\n")
    }
}
