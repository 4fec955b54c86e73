import Recognition
import Testing

@Suite struct WordErrorRateTests {
    @Test func identicalTextsAfterNormalizationHaveNoErrors() {
        let count = WordErrorCount(reference: "Why is the sky blue?", hypothesis: " why IS the sky, blue.")
        #expect(count == WordErrorCount(referenceWords: 5))
        #expect(count.rate == 0)
    }

    @Test func oneWrongWordInFourIsOneSubstitutionAndAQuarter() {
        let count = WordErrorCount(reference: "Front left speaker on", hypothesis: "front right speaker on")
        #expect(count == WordErrorCount(substitutions: 1, referenceWords: 4))
        #expect(count.rate == 0.25)
    }

    @Test func anExtraWordIsOneInsertion() {
        let count = WordErrorCount(reference: "What is heat?", hypothesis: "What is the heat?")
        #expect(count == WordErrorCount(insertions: 1, referenceWords: 3))
        #expect(abs(count.rate - 1.0 / 3.0) < 1e-12)
    }

    @Test func aMissingWordIsOneDeletion() {
        let count = WordErrorCount(reference: "Why does water boil?", hypothesis: "Why water boil")
        #expect(count == WordErrorCount(deletions: 1, referenceWords: 4))
        #expect(count.rate == 0.25)
    }

    @Test func insertionsCanPushTheRateAboveOne() {
        let count = WordErrorCount(reference: "Rear left", hypothesis: "a rear left one two")
        #expect(count == WordErrorCount(insertions: 3, referenceWords: 2))
        #expect(count.rate == 1.5)
    }

    @Test func anEmptyHypothesisDeletesEveryReferenceWord() {
        let count = WordErrorCount(reference: "Side right", hypothesis: "")
        #expect(count == WordErrorCount(deletions: 2, referenceWords: 2))
        #expect(count.rate == 1)
    }

    @Test func anEmptyReferenceIsZeroWhenNothingIsHeardAndInfiniteWhenWordsAreInvented() {
        #expect(WordErrorCount(reference: "", hypothesis: "").rate == 0)
        let invented = WordErrorCount(reference: "", hypothesis: "Thank you.")
        #expect(invented == WordErrorCount(insertions: 2, referenceWords: 0))
        #expect(invented.rate == .infinity)
    }

    @Test func countsOverClipsAddUpWordsNotRates() {
        let total =
            WordErrorCount(reference: "one two three", hypothesis: "one two three")
            + WordErrorCount(reference: "four", hypothesis: "five")
        #expect(total == WordErrorCount(substitutions: 1, referenceWords: 4))
        #expect(total.rate == 0.25)
    }

    @Test func normalizationLowersCaseDropsApostrophesAndSplitsOnPunctuation() {
        #expect(
            WordErrorCount.normalizedWords("What's the Earth's pull-force? 9.8!") == [
                "whats", "the", "earths", "pull", "force", "9", "8",
            ])
        #expect(WordErrorCount.normalizedWords("Kwa nini anga lina rangi ya buluu?").count == 7)
    }
}
