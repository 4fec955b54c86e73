import Foundation
import Synthesis
import Testing

/// The lookup order: exceptions, dictionary, dictionary with affixes, rules, spelling out.
@Suite(.enabled(if: TestResources.hasCMUDict, "needs lexicons/en/cmudict.dict in the cache (Scripts/setup)"))
struct LexiconLookupTests {
    let english = try! TestResources.pronouncer(.english)

    @Test func physicsWordsMissingFromTheDictionaryComeOutRight() {
        let expected: [(String, String, Pronouncer.Source)] = [
            ("coulomb", "k ˈu l ɑ m", .exception),
            ("massless", "m ˈæ s l ə s", .affixes),
            ("nonzero", "n ˌɑ n z ˈɪ ɹ oʊ", .affixes),
            ("refraction", "ɹ i f ɹ ˈæ k ʃ ə n", .affixes),
        ]
        for (word, phones, source) in expected {
            let result = english.pronounce(word)
            #expect(result.map { formatPhones($0.phones) } == phones, "\(word)")
            #expect(result?.source == source, "\(word)")
        }
    }

    @Test func dictionaryWordsKeepTheirStress() {
        #expect(english.pronounce("photon").map { formatPhones($0.phones) } == "f ˈoʊ t ˌɑ n")
        #expect(english.pronounce("Photon")?.source == .dictionary)
    }

    @Test func exceptionsWinOverTheDictionary() {
        // CMUdict says "meter"; the lesson says "metre", listed in the exceptions.
        #expect(english.pronounce("metres")?.source == .exception)
    }

    @Test func unknownWordsFallBackToTheRules() {
        let result = english.pronounce("blorfination")
        #expect(result?.source == .rules)
        #expect(result.map { formatPhones($0.phones) } == "b l ɔ ɹ f ɪ n ˈeɪ ʃ ə n")
    }

    @Test func accentedLettersAreReadAsPlainOnes() {
        #expect(english.pronounce("café").map { $0.phones } == english.pronounce("cafe").map { $0.phones })
    }

    @Test func wordsInAnotherScriptHaveNoPronunciation() {
        #expect(english.pronounce("नमस्ते") == nil)
    }

    @Test func swahiliUsesExceptionsThenRules() throws {
        let swahili = try TestResources.pronouncer(.swahili)
        #expect(swahili.pronounce("lazima")?.source == .exception)
        #expect(swahili.pronounce("nyota")?.source == .rules)
        #expect(swahili.dictionary == nil)
    }

    @Test func theIsSaidWithIBeforeAVowelAndWithSchwaBeforeAConsonant() {
        // "the air" with a schwa runs together into "there".
        let phrases = english.phrases("the air and the moon. the").phrases
        let the = phrases.flatMap(\.words).filter { $0.text == "the" }.map { formatPhones($0.phones) }
        #expect(the == ["ð i", "ð ə", "ð ə"])
    }
}
