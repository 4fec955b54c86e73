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
        #expect(result.error.contains("unknown language code 'xx'; supported: en, sw, zu, ny, ha, yo, hi, ur"))
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

    @Test func phonemesPrintsYorubaWithItsTonesAndZuluWithItsClicks() throws {
        let yoruba = try TutorProcess.run(["phonemes", "--lang", "yo", "Ọmọ ń ṣe eré."])
        #expect(yoruba.status == 0, "\(yoruba.error)")
        #expect(yoruba.output == "ɔ̄ m ɔ̄ | ń̩ | ʃ ē | ē r é\n")
        let zulu = try TutorProcess.run(["phonemes", "--lang", "zu", "Gqoka ngcono."])
        #expect(zulu.output == "ɡ ǃʱ ˈo k a | ŋ ǀʱ ˈo n o\n")
    }

    @Test func saySpeaksHindiFromDevanagari() throws {
        let folder = try TutorProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pani.wav")
        let result = try TutorProcess.run(["say", "--lang", "hi", "पानी 100 °C पर उबलता है।", "-o", file.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(!result.error.contains("skipped"))
        #expect(try SoundFile.read(file).frameCount > 22_050)
    }
}
