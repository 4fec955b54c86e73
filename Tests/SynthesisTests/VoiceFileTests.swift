import Foundation
import Synthesis
import Testing

/// Voice and phoneme-target files: strict parsing with file:line, variants as deltas.
@Suite struct VoiceFileTests {
    @Test func theRepositoryVoicesLoadAndTheVariantChangesOnlyWhatItSays() throws {
        let folder = TestResources.repository.appendingPathComponent("Voices")
        let kind = try Voice.load(named: "kind", folder: folder)
        let deep = try Voice.load(named: "deep", folder: folder)
        #expect(kind.pitchHz == 215)
        #expect(deep.pitchHz == 115)
        #expect(deep.jitter == kind.jitter)
        #expect(deep.shimmer == kind.shimmer)
        #expect(Voice.available(in: folder).contains("kind"))
    }

    @Test func anUnknownSettingIsAnErrorWithFileAndLine() {
        let text = "# a voice\npitch-hz 200\npitch 100\n"
        #expect(
            throws: SynthesisError.invalidLine(
                path: "v.voice", line: 3,
                reason: "unknown setting 'pitch' (expected inherit, description, pitch-hz, pitch-range, formant-scale, "
                    + "breathiness, rate, jitter, shimmer, open-quotient, targets, diphones, diphone-phones, package)")
        ) {
            try Voice.parse(text, path: "v.voice", name: "v")
        }
    }

    @Test func aspirationAfterAStopIsParsedAndRangeChecked() throws {
        let targets = try PhonemeTargets(
            text: "kʰ class=stop dur=85 f=280,2000,2400 voiced=no asp=45\n", path: "t")
        #expect(targets.shared["kʰ"]?.aspirationMilliseconds == 45)
        #expect(
            throws: SynthesisError.invalidLine(
                path: "t", line: 2, reason: "asp= must be milliseconds in 0...200, found '-3'")
        ) {
            try PhonemeTargets(
                text: "k class=stop dur=85 f=280,2000,2400\nkʰ class=stop dur=85 f=1,2,3 asp=-3\n", path: "t")
        }
    }

    @Test func anAspiratedStopDelaysTheVowelsVoicing() throws {
        // The same syllable with k and kʰ: after kʰ the vowel starts breathy, without voicing, for longer.
        let synthesizer = try TestResources.synthesizer(.zulu)
        func unvoicedOnsetFrames(_ word: String) throws -> Int {
            let utterance = try synthesizer.analyse(word)
            var time = 0.0
            var vowelStart = 0.0
            for segment in utterance.segments {
                if segment.symbol == "a" { vowelStart = time; break }
                time += segment.durationMilliseconds
            }
            let first = Int(vowelStart / FrameBuilder.frameMilliseconds) + 1
            return utterance.frames[first...].prefix { $0.voicing == 0 }.count
        }
        let (aspirated, plain) = (try unvoicedOnsetFrames("kha"), try unvoicedOnsetFrames("ka"))
        #expect(aspirated >= plain + 5)
    }

    @Test func aValueOutOfRangeIsAnErrorWithTheLine() {
        #expect(
            throws: SynthesisError.invalidLine(
                path: "v.voice", line: 1, reason: "pitch-hz must be a number in 50.0...500.0, found '9000'")
        ) {
            try Voice.parse("pitch-hz 9000\n", path: "v.voice", name: "v")
        }
    }

    @Test func anUnknownVoiceNameListsTheVoices() {
        let folder = TestResources.repository.appendingPathComponent("Voices")
        #expect(
            throws: SynthesisError.unknownVoice(
                name: "robot", available: ["deep", "en-flite", "hi-nsk", "kind", "sw-espeak"])
        ) {
            try Voice.load(named: "robot", folder: folder)
        }
    }

    @Test func aTargetWithABadKeyIsAnErrorWithTheLine() {
        let text = "a class=vowel dur=100 f=700,1200,2500\ne class=vowel dur=100 f=400,1900,2500 q=1\n"
        #expect(
            throws: SynthesisError.invalidLine(
                path: "t", line: 2,
                reason: "unknown key 'q' (expected class, dur, f, b, to, voiced, fric, nasal, coart, burst, asp)")
        ) {
            try PhonemeTargets(text: text, path: "t")
        }
    }

    @Test func aTargetWithTooFewFormantsIsAnErrorWithTheLine() {
        #expect(
            throws: SynthesisError.invalidLine(
                path: "t", line: 1, reason: "f= needs 3 non-negative numbers separated by commas, found '700,1200'")
        ) {
            try PhonemeTargets(text: "a class=vowel dur=100 f=700,1200\n", path: "t")
        }
    }

    @Test func aBurstOutsideItsRangeIsAnErrorWithTheLineAndAGoodOneIsKept() throws {
        #expect(
            throws: SynthesisError.invalidLine(
                path: "t", line: 1, reason: "burst= must be milliseconds in 1...100, found '0'")
        ) {
            try PhonemeTargets(text: "k class=stop dur=80 f=280,2000,2400 burst=0\n", path: "t")
        }
        let targets = try PhonemeTargets(text: "k class=stop dur=80 f=280,2000,2400 burst=22\n", path: "t")
        #expect(targets.target("k", language: .english)?.burstMilliseconds == 22)
    }

    @Test func languageOverridesReplaceTheSharedTargetForThatLanguageOnly() throws {
        let text = "a class=vowel dur=100 f=700,1200,2500\nlanguage sw\na class=vowel dur=120 f=650,1250,2500\n"
        let targets = try PhonemeTargets(text: text, path: "t")
        #expect(targets.target("a", language: .english)?.durationMilliseconds == 100)
        #expect(targets.target("a", language: .swahili)?.durationMilliseconds == 120)
    }
}
