import Synthesis
import Testing
import TutorCore

/// The agreement measure and the common symbol set behind the reported figures.
@Suite struct PronunciationAgreementTests {
    @Test func editDistanceCountsSubstitutionsInsertionsAndDeletions() {
        #expect(editDistance(["a", "b", "c"], ["a", "b", "c"]) == 0)
        #expect(editDistance(["a", "b", "c"], ["a", "x", "c"]) == 1)
        #expect(editDistance(["a", "b"], ["a", "b", "c"]) == 1)
        #expect(editDistance([], ["a", "b"]) == 2)
    }

    @Test func agreementIsOneMinusErrorsOverReferencePhonemes() {
        var agreement = PronunciationAgreement()
        agreement.add(reference: ["a", "b", "c", "d"], candidate: ["a", "b", "c", "d"])
        agreement.add(reference: ["a", "b", "c", "d"], candidate: ["a", "x", "c", "d"])
        #expect(agreement.phonemeAgreement == 1 - 1.0 / 8)
        #expect(agreement.wordAgreement == 0.5)
    }

    @Test func gruutsImplosivesAndPrenasalizedStopsMapOntoOurSymbols() {
        // gruut writes "mbuzi" as ᵐɓ u z i and "chakula" with a tie bar and ɑ.
        #expect(PronunciationAgreement.commonSwahili("ᵐɓ u z i") == ["m", "b", "u", "z", "i"])
        #expect(PronunciationAgreement.commonSwahili("t͡ʃ ɑ k u l ɑ") == ["tʃ", "a", "k", "u", "l", "a"])
        #expect(PronunciationAgreement.commonSwahili("mbuzi") == ["m", "b", "u", "z", "i"])
        #expect(PronunciationAgreement.commonSwahili("ʄ ɔ t ɔ") == PronunciationAgreement.commonSwahili("dʒoto"))
    }

    @Test func aGraphemeMapReadsByLongestMatch() throws {
        let map = try GraphemeMap(csv: "Orth,Phon\na,a\nn,n\nng,nɡ\nng',ŋ\ng,ɡ\n", path: "map.csv")
        #expect(map.transcribe("ng'ang'a") == "ŋaŋa")
        #expect(map.transcribe("nga") == "nɡa")
        #expect(map.transcribe("x") == nil)
    }

    @Test func aMalformedMapLineIsAnErrorWithTheLine() {
        #expect(throws: SynthesisError.invalidLine(path: "map.csv", line: 3, reason: "expected 'orth,phon'")) {
            try GraphemeMap(csv: "Orth,Phon\na,a\nb\n", path: "map.csv")
        }
    }
}

/// The common symbol set and the epitran reader behind the figures of the six languages beyond English and Swahili.
@Suite struct EpitranReferenceTests {
    @Test func commonSymbolsKeepModifiersWithTheirLetterAndForgetToneAndLength() {
        #expect(PronunciationAgreement.commonSymbols("kʰáː") == ["kʰ", "a"])
        #expect(PronunciationAgreement.commonSymbols("t͡ʃʰ") == ["tʃʰ"])
        #expect(PronunciationAgreement.commonSymbols("bʷa") == ["b", "w", "a"])
        #expect(PronunciationAgreement.commonSymbols("ɡǀ̤") == ["ɡ", "ǀʱ"])
        #expect(PronunciationAgreement.commonSymbols("ɛ̃ n̩ d̪") == ["ɛ̃", "n", "d"])
    }

    @Test func aMapWithWindowsLineEndsAndACombiningMarkAfterTheCommaIsRead() throws {
        let map = try GraphemeMap(csv: "Orth,Phon\r\nक,kə\r\nा,aː\r\nँ,\u{303}\r\n", path: "hin.csv")
        #expect(map.transcribe("का") == "kəaː")
        #expect(map.pairs.count == 3)
    }

    @Test func devanagariInherentVowelsGoBeforeVowelSignsViramaAndAtTheEnd() throws {
        let reference = try EpitranReference(
            language: .hindi, csv: "Orth,Phon\nक,kə\nम,mə\nल,lə\nा,aː\n्,\u{94D}\n", path: "hin.csv")
        #expect(reference.symbols("कमल") == ["k", "ə", "m", "ə", "l"])
        #expect(reference.symbols("काम") == ["k", "a", "m"])
        #expect(reference.symbols("क्म") == ["k", "m"])
    }

    @Test func urduShortVowelMarksAreTakenOffAndUrduLettersFoundUnderTheirArabicCodePoints() throws {
        // The map spells the letters ک and ی as Arabic ك and ي.
        let reference = try EpitranReference(
            language: .urdu, csv: "Orth,Phon\n\u{643},k\n\u{64A},iː\nب,b\nل,l\n", path: "urd.csv")
        #expect(reference.symbols("بُلکی") == ["b", "l", "k", "i"])
    }

    @Test func toneMarksAreTakenOffBeforeTheMapAndMissingVowelsStandForThemselves() throws {
        let reference = try EpitranReference(language: .yoruba, csv: "Orth,Phon\nẹ,ɛ\nj,d͡ʒ\n", path: "yor.csv")
        #expect(reference.symbols("ẹ̀ja") == ["ɛ", "dʒ", "a"])
        #expect(reference.symbols("ẹ̀jq") == nil)
    }
}
