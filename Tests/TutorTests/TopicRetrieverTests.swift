import Testing

@testable import Tutor

@Suite struct TopicRetrieverTests {
    let retriever = RepositoryTutor.retriever

    @Test func findsTheTopicOfMostAskLinesLeftOutOfTheIndexInASample() {
        // Every 7th ask line: about 60 per language, each asked of an index without it.
        for (language, least) in [("en", 0.75), ("sw", 0.65)] {
            let result = TutorEvaluator.leaveOneOut(
                curriculum: RepositoryTutor.curriculum, glossary: RepositoryTutor.glossary, language: language,
                stride: 7)
            let share = Double(result.top1Correct) / Double(result.asked)
            #expect(share >= least, "\(language): \(result.top1Correct)/\(result.asked); \(result.misses.prefix(5))")
        }
    }

    @Test func findsTheSkyBlueTopicFromItsOwnQuestion() {
        let result = retriever.retrieve("why is the sky blue", language: "en")
        #expect(result.best?.id == "sky-blue")
        #expect(result.isConfident)
    }

    @Test(arguments: [
        ("how does a magnate work", "magnets"),
        ("what is gravy tea", "gravity"),
        ("why is the sky blew", "sky-blue"),
        ("how does an electric mother spin", "motors"),
    ])
    func findsTheTopicThroughAMisheardWord(question: String, topic: String) {
        #expect(retriever.retrieve(question, language: "en").best?.id == topic)
    }

    @Test func fuzzyMatchingFindsAMisspellingTheGlossaryDoesNotList() {
        let plain = TopicRetriever(curriculum: RepositoryTutor.curriculum)
        #expect(plain.retrieve("what is a compas for", language: "en").best?.id == "compass")
    }

    @Test func findsSwahiliTopicsFromSwahiliQuestions() {
        #expect(retriever.retrieve("kwa nini anga ni la buluu", language: "sw").best?.id == "sky-blue")
        #expect(retriever.retrieve("sumaku inavuta nini", language: "sw").best?.id == "magnets")
    }

    @Test func automaticLanguagePicksSwahiliForASwahiliQuestionAndEnglishForAnEnglishOne() {
        #expect(retriever.retrieve("kwa nini anga ni la buluu", language: "auto").language == "sw")
        #expect(retriever.retrieve("why is the sky blue", language: "auto").language == "en")
    }

    @Test(arguments: ["who is the president of kenya", "what is the best song", "rais wa kenya ni nani"])
    func offTopicQuestionsFallBelowTheThreshold(question: String) {
        let result = retriever.retrieve(question, language: "auto")
        #expect(!result.isConfident, "\(result.best?.id ?? "none") at \(result.confidence)")
    }

    @Test func confidenceStaysBetweenZeroAndOne() {
        for question in ["why is the sky blue sky blue sky blue", "", "xyz", "magnet magnet magnet"] {
            let confidence = retriever.retrieve(question, language: "en").confidence
            #expect(confidence >= 0 && confidence <= 1)
        }
    }
}

/// A retriever over a few made-up English topics, so one behaviour shows without the whole curriculum around it.
func tinyEnglishRetriever(
    _ topics: [(id: String, fields: [(text: String, weight: TopicDocument.FieldKind)])], glossary: Glossary = .empty,
    options: RetrievalOptions = .default
) -> TopicRetriever {
    TopicRetriever(
        documents: [topics.map { TopicDocument(id: $0.id, language: "en", fields: $0.fields) }], glossary: glossary,
        options: options)
}

@Suite struct RetrievalConceptReadingTests {
    /// Four tiny topics and two glossary concepts, so a concept shows up as a topic that shares no word with the
    /// question.
    let retriever = tinyEnglishRetriever(
        [
            ("starlight", [("what is starlight", .ask)]),
            ("lamps", [("how does a lamp glow bright", .ask)]),
            ("drums", [("why is the drum shaking", .ask)]),
            ("strings", [("the vibration of a guitar string", .answer)]),
        ],
        glossary: Glossary(concepts: [
            .init(id: "light", forms: ["en": ["light", "bright"]], source: "test:1"),
            .init(id: "vibration", forms: ["en": ["vibration", "shaking"]], source: "test:2"),
        ]))

    @Test func wordsHeardRunTogetherNameTheConceptsOfTheWholeWordNotOfTheirPieces() {
        // `starr light` is read as `starlight`: the piece `light` must not pull in the lamp topic.
        let ids = retriever.retrieve("what is starr light", language: "en").topics.map(\.id)
        #expect(ids == ["starlight"])
    }

    @Test func aSplitWordFoundByFuzzyMatchingNamesItsConcept() {
        // `vibe ration` is read as `vibration`, whose concept the drum topic names as `shaking`.
        let ids = retriever.retrieve("is it a vibe ration", language: "en").topics.map(\.id)
        #expect(ids.contains("drums"), "\(ids)")
    }
}

@Suite struct RetrievalNearMissTests {
    /// `lighting` is never written, but its stem `light` is, in three topics.
    func retriever(_ options: RetrievalOptions) -> TopicRetriever {
        tinyEnglishRetriever(
            [
                ("storms", [("what is lightning", .ask)]),
                ("lamps", [("how does a light glow", .ask)]),
                ("sun", [("the light of the sun", .answer)]),
                ("night", [("a light in the dark", .answer)]),
            ], options: options)
    }

    @Test func aWordFormTheCurriculumNeverWritesAlsoStandsForAVeryCloseWord() {
        // A recognizer's `lighting` for `lightning` reaches the lightning topic, which its stem alone would miss.
        #expect(retriever(.default).retrieve("what causes lighting", language: "en").best?.id == "storms")
        var stemOnly = RetrievalOptions.default
        stemOnly.stemNeighbourMinimumSimilarity = 2
        #expect(retriever(stemOnly).retrieve("what causes lighting", language: "en").best?.id == "lamps")
    }
}

@Suite struct RetrievalSplitWordTests {
    func retriever(_ options: RetrievalOptions) -> TopicRetriever {
        tinyEnglishRetriever(
            [
                ("motors", [("how does a motor spin", .ask)]),
                ("tops", [("why does a top spin", .ask), ("a top can spin", .ask)]),
            ], options: options)
    }

    @Test func wordsRunTogetherWithTheSameThreeConsonantsAsALongerWordAreReadAsIt() {
        // `may tar` -> `maytar`: two letters of six differ from `motor`, but the consonants m-t-r are the same.
        #expect(retriever(.default).retrieve("why does the may tar spin", language: "en").best?.id == "motors")
        var spellingOnly = RetrievalOptions.default
        spellingOnly.joinedSkeletonSimilarity = 2
        #expect(retriever(spellingOnly).retrieve("why does the may tar spin", language: "en").best?.id != "motors")
    }
}
