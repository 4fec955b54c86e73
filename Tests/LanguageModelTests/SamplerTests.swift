import Testing

@testable import LanguageModel

@Suite struct SamplerTests {
    let logits: [Float] = [1, 5, 3, 4.9, -2]

    @Test func greedyTakesTheLargestLogit() {
        var sampler = Sampler()
        #expect(sampler.sample(logits) == 1)
    }

    @Test func theRepetitionPenaltyCanTurnGreedyAwayFromARepeatedToken() {
        var sampler = Sampler(options: SamplingOptions(repetitionPenalty: 1.3))
        #expect(sampler.sample(logits, history: [1]) == 3)
        #expect(sampler.sample(logits, history: [4]) == 1)
    }

    @Test func topKOfOneIsGreedyAtAnyTemperature() {
        var sampler = Sampler(options: SamplingOptions(temperature: 5, topK: 1))
        for _ in 0..<50 { #expect(sampler.sample(logits) == 1) }
    }

    @Test func topPKeepsOnlyTheTokensThatReachTheMass() {
        // At temperature 1, tokens 1 and 3 hold about 0.8 of the mass; p = 0.75 keeps just those two.
        var sampler = Sampler(options: SamplingOptions(temperature: 1, topP: 0.75))
        let drawn = Set((0..<300).map { _ in sampler.sample(logits) })
        #expect(drawn == [1, 3])
    }

    @Test func minPDropsTokensFarBelowTheBest() {
        var sampler = Sampler(options: SamplingOptions(temperature: 1, minP: 0.5))
        let drawn = Set((0..<300).map { _ in sampler.sample(logits) })
        #expect(drawn == [1, 3])
    }

    @Test func theSameSeedDrawsTheSameSequenceAndAnotherSeedDoesNot() {
        func draws(_ seed: UInt64) -> [Int] {
            var sampler = Sampler(options: SamplingOptions(temperature: 2, seed: seed))
            return (0..<40).map { _ in sampler.sample(logits) }
        }
        #expect(draws(1) == draws(1))
        #expect(draws(1) != draws(2))
    }

    @Test func highTemperatureReachesUnlikelyTokens() {
        var sampler = Sampler(options: SamplingOptions(temperature: 10))
        let drawn = Set((0..<500).map { _ in sampler.sample(logits) })
        #expect(drawn.count == 5)
    }
}
