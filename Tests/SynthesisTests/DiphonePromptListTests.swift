import Foundation
import Synthesis
import Testing

/// The prompt list format (shared with `tutor voice build`) and the greedy choice of prompts.
@Suite struct DiphonePromptListTests {
    static let header = "# sw diphone prompts: tutor voice prompts --lang sw\n"

    static func parse(_ text: String) throws -> DiphonePromptList {
        try DiphonePromptList.parse(
            text, path: "prompts.tsv", language: .swahili, inventory: TestResources.pronouncer(.swahili).inventory)
    }

    @Test func parsesPromptsAndWritesThemBackUnchanged() throws {
        let text = Self.header + "sw_0001\tsema kaka tena\ts e m a | k a k a | t e n a\nsw_0002\tng'ombe\tŋ o m b e\n"
        let list = try Self.parse(text)
        #expect(list.comments == ["sw diphone prompts: tutor voice prompts --lang sw"])
        #expect(list.prompts.map(\.id) == ["sw_0001", "sw_0002"])
        #expect(list.prompts[0].words == [["s", "e", "m", "a"], ["k", "a", "k", "a"], ["t", "e", "n", "a"]])
        #expect(list.prompts[1].line == 3)
        #expect(list.formatted() == text)
        #expect(list.phoneCount == 17)
    }

    @Test func stressMarksAndWindowsLineEndsAreAccepted() throws {
        let list = try Self.parse("sw_0001\tkaka\tk ˈa k a\r\n")
        #expect(list.prompts[0].words == [["k", "a", "k", "a"]])
    }

    @Test func aPromptsDiphonesRunItsWordsTogetherBetweenSilences() throws {
        let prompt = try Self.parse("sw_0001\tna ya\tn a | j a\n").prompts[0]
        #expect(prompt.diphones.map(\.description) == ["_-n", "n-a", "a-j", "j-a", "a-_"])
    }

    @Test(arguments: [
        ("sw_0001\tkaka\n", 2, "expected ID<TAB>TEXT<TAB>PHONEMES (3 tab-separated fields), found 2"),
        ("sw_0001\tkaka\tk a k a\textra\n", 2, "found 4"),
        ("sw_1\tkaka\tk a k a\n", 2, "ID 'sw_1' is not sw_NNNN (four digits)"),
        ("en_0001\tkaka\tk a k a\n", 2, "ID 'en_0001' is not sw_NNNN"),
        ("sw_0000\tkaka\tk a k a\n", 2, "numbers start at 0001"),
        ("sw_0001\tkaka\tk a k a\n\nsw_0001\tdada\td a d a\n", 4, "ID sw_0001 is used twice (first on line 2)"),
        ("sw_0001\t  \tk a k a\n", 2, "sw_0001: TEXT is empty"),
        ("sw_0001\tkaka\tk a | | k a\n", 2, "sw_0001: word 2 of PHONEMES has no phonemes"),
        ("sw_0001\tthink\tθ ɪ ŋ k\n", 2, "sw_0001: 'ɪ' (word 1) is not a phoneme of sw (Lexicons/sw/phonemes)"),
    ])
    func rejectsAMalformedLineNamingTheFileAndLine(body: String, line: Int, reason: String) throws {
        do {
            _ = try Self.parse(Self.header + body)
            Issue.record("accepted: \(body)")
        } catch let error as SynthesisError {
            #expect("\(error)".hasPrefix("prompts.tsv:\(line): "), "\(error)")
            #expect("\(error)".contains(reason), "\(error)")
        }
    }

    @Test func aListWithoutPromptsIsAnError() throws {
        #expect(throws: SynthesisError.invalidLine(path: "prompts.tsv", line: 0, reason: "no prompts")) {
            try Self.parse(Self.header)
        }
    }

    @Test func aMissingFileIsNamed() throws {
        let url = URL(fileURLWithPath: "/nonexistent/prompts.tsv")
        do {
            _ = try DiphonePromptList.load(
                from: url, language: .swahili, inventory: TestResources.pronouncer(.swahili).inventory)
            Issue.record("loaded a missing file")
        } catch {
            #expect("\(error)".hasPrefix("/nonexistent/prompts.tsv: cannot read"))
        }
    }

    @Test func carrierLinesAreParsedStrictly() throws {
        let text = "# carriers\nsw  sema * tena\nen  say * again\n"
        #expect(try DiphoneCarrier.parse(text, path: "carriers", language: .swahili)?.text("kaka") == "sema kaka tena")
        #expect(try DiphoneCarrier.parse(text, path: "carriers", language: .yoruba) == nil)
        #expect(
            throws: SynthesisError.invalidLine(
                path: "carriers", line: 2,
                reason: "expected 'code words * words' (one '*' for the word), found 'sw sema tena'")
        ) { try DiphoneCarrier.parse("sw  sema * tena\nsw sema tena\n", path: "carriers", language: .swahili) }
        #expect(
            throws: SynthesisError.invalidLine(
                path: "carriers", line: 2, reason: "'sw' is listed twice (first on line 1)")
        ) {
            try DiphoneCarrier.parse("sw  sema * tena\nsw  sema * tena\n", path: "carriers", language: .swahili)
        }
    }

    /// A lone word is read in the carrier for its inner diphones; silence next to it needs it read alone too.
    @Test func aWordGoesInTheCarrierAndAloneOnlyForItsSilenceEdges() throws {
        let planner = try DiphonePromptPlanner(
            pronouncer: TestResources.pronouncer(.swahili), carrier: DiphoneCarrier(before: "sema", after: "tena"))
        let plan = planner.plan(texts: [], lexiconWords: ["kheri"], command: "test")
        #expect(plan.needed.map(\.description).sorted() == ["_-x", "e-r", "i-_", "r-i", "x-e"])
        #expect(plan.list.prompts.map(\.text) == ["sema kheri tena", "kheri"])
        #expect(plan.list.prompts.map(\.id) == ["sw_0001", "sw_0002"])
        #expect(plan.uncovered.isEmpty)
    }

    /// Sentences: every pair inside and across words and at the phrase edges is covered, by far fewer prompts
    /// than there were candidates (26 of 106 here), and the list survives being written and read back.
    @Test func curriculumSentencesAreCoveredByFewPrompts() throws {
        let pronouncer = try TestResources.pronouncer(.swahili)
        let planner = DiphonePromptPlanner(
            pronouncer: pronouncer, carrier: DiphoneCarrier(before: "sema", after: "tena"))
        let texts = [
            "Mwanga husafiri kwa kasi sana. Jua ni nyota iliyo karibu nasi.",
            "Sumaku huvuta chuma, lakini haivuti plastiki wala mbao.",
            "Ukifunga breki ya baiskeli unapunguza kasi, na hilo ni badiliko la mwendo.",
        ]
        let plan = planner.plan(texts: texts, lexiconWords: ["ng'ombe", "labda"], command: "test")
        let reread = try Self.parse(plan.list.formatted())
        #expect(
            reread.prompts
                == plan.list.prompts.enumerated().map { index, prompt in
                    var numbered = prompt
                    numbered.line = plan.list.comments.count + index + 1
                    return numbered
                })
        #expect(plan.needed.isSubset(of: reread.diphones))
        #expect(plan.needed.contains(Diphone("a", "k")))  // "kwa kasi": across a word boundary
        #expect(plan.needed.contains(Diphone("_", "ŋ")))  // ng'ombe starts a word
        // Each prompt holds a needed diphone no other prompt holds: none could be left out. A word in its carrier
        // stays even when the same word read alone (for its silence edges) holds its inner diphones too.
        for (index, prompt) in plan.list.prompts.enumerated() where !prompt.text.hasPrefix("sema ") {
            var others = plan.list.prompts
            others.remove(at: index)
            let own = Set(prompt.diphones).intersection(plan.needed).subtracting(others.flatMap(\.diphones))
            #expect(!own.isEmpty, "\(prompt.id) \(prompt.text) is redundant")
        }
        #expect(
            plan.list.prompts.count * 3 < plan.candidateCount, "\(plan.list.prompts.count) of \(plan.candidateCount)")
    }
}

/// The committed lists say what our own front end says for their text, so a voice build can align a recording
/// against the formant voice reading the same prompt.
@Suite struct CommittedPromptListTests {
    static func check(_ language: Language) throws {
        let pronouncer = try TestResources.pronouncer(language)
        let list = try DiphonePromptList.load(
            from: TestResources.resources.voiceFile("prompts/\(language.rawValue).tsv"), language: language,
            inventory: pronouncer.inventory)
        let normalizer = TextNormalizer(language: language)
        var differing: [String] = []
        for prompt in list.prompts {
            let words = pronouncer.phrases(normalizer.normalize(prompt.text)).phrases.flatMap(\.words)
            if words.map({ $0.phones.map(\.symbol) }) != prompt.words {
                differing.append("\(prompt.id) \(prompt.text)")
            }
        }
        #expect(differing.isEmpty, "\(differing.count) of \(list.prompts.count): \(differing.prefix(10))")
    }

    @Test func swahiliPromptsArePronouncedAsTheirTextIs() throws { try Self.check(.swahili) }

    @Test(.enabled(if: TestResources.hasCMUDict, "needs cmudict.dict in the cache"))
    func englishPromptsArePronouncedAsTheirTextIs() throws { try Self.check(.english) }
}
