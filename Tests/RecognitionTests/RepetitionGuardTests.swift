import Testing

@testable import Recognition

@Suite struct RepetitionGuardTests {
    let options = TranscriptionOptions.default

    func tail(_ tokens: [Int]) -> (period: Int, copies: Int)? {
        WhisperRecognizer.repeatedTail(tokens, options: options)
    }

    @Test func aWholeQuestionStartedAgainIsCaughtAfterItsSecondCopy() {
        let found = tail([1, 2, 3, 4, 5, 9, 1, 2, 3, 4, 5, 9])
        #expect(found?.period == 6 && found?.copies == 2)
    }

    @Test func aShortWordSaidTwiceIsLeftAloneButFourTimesStops() {
        #expect(tail([7, 8, 3, 3]) == nil)
        let found = tail([7, 8, 3, 3, 3, 3])
        #expect(found?.period == 1 && found?.copies == 4)
    }

    @Test func textWithoutARepeatedTailGoesOn() {
        #expect(tail([1, 2, 3, 4, 1, 2, 3, 5]) == nil)
    }
}
