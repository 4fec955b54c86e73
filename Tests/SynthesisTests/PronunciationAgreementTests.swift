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
