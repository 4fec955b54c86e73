import Synthesis
import Testing

/// Sentences come out of streamed text as soon as they are complete, and not before.
@Suite struct SentenceSplitterTests {
    static func split(_ pieces: [String], language: Language = .english) throws -> (early: [[String]], all: [String]) {
        var splitter = SentenceSplitter(language: language)
        var early: [[String]] = []
        var all: [String] = []
        for piece in pieces {
            var output: [String] = []
            try splitter.process(piece, into: &output)
            early.append(output)
            all += output
        }
        try splitter.flush(into: &all)
        return (early, all)
    }

    @Test func aSentenceIsEmittedAsSoonAsTheSpaceAfterItArrives() throws {
        let (early, all) = try Self.split(["Light is", " fast.", " It travels", " far."])
        #expect(early[1].isEmpty)
        #expect(early[2] == ["Light is fast."])
        #expect(all == ["Light is fast.", "It travels far."])
    }

    @Test func decimalsAndUnitsDoNotEndASentence() throws {
        let (_, all) = try Self.split(["It moves at 3", ".", "5 m/s. Then it", " stops."])
        #expect(all == ["It moves at 3.5 m/s.", "Then it stops."])
    }

    @Test func abbreviationsDoNotEndASentence() throws {
        let (_, all) = try Self.split(["Dr. Lee said metals, e.g. copper, conduct. Yes."])
        #expect(all == ["Dr. Lee said metals, e.g. copper, conduct.", "Yes."])
    }

    @Test func etcEndsASentenceOnlyBeforeACapital() throws {
        let (early, all) = try Self.split(["Push, pull, etc. ", "and more. Then etc. ", "Next."])
        #expect(early[0].isEmpty)
        #expect(all == ["Push, pull, etc. and more.", "Then etc.", "Next."])
    }

    @Test func closingQuotesStayWithTheirSentence() throws {
        let (_, all) = try Self.split(["She said \"it floats.\" Then it sank! Why? "])
        #expect(all == ["She said \"it floats.\"", "Then it sank!", "Why?"])
    }

    @Test func swahiliAbbreviationsAreKnown() throws {
        let (_, all) = try Self.split(["Vitu vigumu, k.m. mawe, huzama. Maji hayazami."], language: .swahili)
        #expect(all == ["Vitu vigumu, k.m. mawe, huzama.", "Maji hayazami."])
    }

    @Test func aRunOnAnswerIsCutAtACommaSoSpeechNeverWaitsForever() throws {
        let long = String(repeating: "and then it goes on, ", count: 30)
        let (early, _) = try Self.split([long])
        #expect(!early[0].isEmpty)
        #expect(early[0].allSatisfy { $0.count <= 300 })
    }

    @Test func resetForgetsTheHeldText() throws {
        var splitter = SentenceSplitter(language: .english)
        var output: [String] = []
        try splitter.process("Half a sent", into: &output)
        splitter.reset()
        try splitter.flush(into: &output)
        #expect(output.isEmpty)
    }
}
