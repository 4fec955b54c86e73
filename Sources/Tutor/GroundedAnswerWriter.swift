import Foundation
import TutorCore

/// An answer written through a `TextGenerating` model and checked sentence by sentence, with curated fallback.
public struct GroundedAnswer: Sendable, Equatable {
    /// How much of the answer the model wrote.
    public enum Authorship: Sendable, Equatable {
        /// Every sentence is the model's, all passed the checks, and together they hold every key term.
        case modelWhole
        /// The model's sentences up to a failure (or missing key terms), then curated sentences.
        case modelThenCurated
        /// The curated answer alone: the model's first sentence failed, or it wrote nothing.
        case curated
    }

    /// The sentences to say, in order (the safety message is not included: say `safety` first).
    public var sentences: [String]
    /// The safety message to say before the sentences, if any.
    public var safety: String?
    /// Who wrote the answer.
    public var authorship: Authorship
    /// The first failed check, with the sentence that failed it.
    public var failure: (sentence: String, reason: AnswerCheckFailure)?
    /// The sentence that repeated an earlier one and so ended the model's part; it is not said, and it is no
    /// failure (see `GroundedAnswerWriter`).
    public var endingRepeat: String?
    /// How many of `sentences`, from the start, the model wrote (the rest are curated).
    public var modelSentenceCount = 0

    /// Everything to say, safety first.
    public var text: String { ([safety].compactMap { $0 } + sentences).joined(separator: " ") }

    /// Equal when what is said and who wrote it are equal.
    public static func == (lhs: GroundedAnswer, rhs: GroundedAnswer) -> Bool {
        lhs.sentences == rhs.sentences && lhs.safety == rhs.safety && lhs.authorship == rhs.authorship
            && lhs.failure?.sentence == rhs.failure?.sentence && lhs.failure?.reason == rhs.failure?.reason
            && lhs.endingRepeat == rhs.endingRepeat
    }
}

/// Writes an English answer through a language model, grounded in one topic, falling back to the curated text.
///
/// Each sentence the generator emits is checked (`AnswerChecker`) before it is kept. On the first failing sentence
/// generation stops, and the rest of the answer comes from the curated text: the curated sentences that hold key terms
/// the kept sentences have not said yet, or the whole curated answer when no model sentence was kept. When the model
/// finishes without saying every key term, the curated sentences holding the missing ones are added the same way.
/// The safety message is always the curated one, said first.
///
/// A sentence that repeats an earlier one (small models loop: "It is a small magnet." twice) ends the model's part
/// instead of failing it, when the kept sentences say at least one key term: the repeat is not said, and the answer
/// is finished as if the model had stopped there, so it is kept whole when the kept sentences hold every key term.
/// Kept sentences without any key term are no answer to end, so there the repeat fails as any other check does.
/// A sentence of the worked example (`example`) counts as said before, unless a sentence of the topic's facts says the
/// same, so a copy of it is a repeat: the model copied the shadow example word for word into an answer about colours.
public struct GroundedAnswerWriter {
    /// The fixed system prompt, the same for every question so the model's KV cache of it can be kept.
    public static let systemPrompt = """
        You are a kind physics teacher talking to a child aged 8 to 14. Retell the facts in 2 or 3 short sentences \
        of plain words. Use every key word. Say nothing that is not in the facts.
        """

    /// The worked exchange given before every question, as a user turn and the model's own turn.
    ///
    /// A model of 135M parameters follows an example far better than instructions. Given as chat turns, the answer is
    /// the model's own earlier reply, whose shape it copies; written inside the system prompt after `Answer:`, it
    /// made the model begin "The answer is: ..." and stop after naming one word. Written for the prompt from the
    /// `shadows` topic, not taken from any question set; fixed, so its KV cache is kept with the system prompt's.
    public static let example = TextGenerationExample(
        user: TextGenerationRequest.userMessage(
            passages: [
                "A shadow forms when something blocks light. Light travels in straight lines, so it cannot bend "
                    + "around your body."
            ],
            question: "why do i have a dark shape behind me", keyTerms: ["shadow", "blocks", "straight lines"]),
        assistant: "Light travels in straight lines. Your body blocks the light, so a dark shadow forms behind you "
            + "where the light cannot reach.")

    /// The checker options.
    public var checkOptions: AnswerCheckOptions

    /// Creates a writer.
    public init(checkOptions: AnswerCheckOptions = .default) {
        self.checkOptions = checkOptions
    }

    /// The request a generator gets for a question answered from `topic`: the curated answer and its simpler
    /// version as facts, the question as the tutor understood it (`understoodQuestion`), the key terms, and the
    /// worked `example` before it.
    public func request(question: String, topic: CurriculumTopic) -> TextGenerationRequest {
        TextGenerationRequest(
            systemPrompt: Self.systemPrompt, passages: [topic.answer, topic.simpler],
            question: Self.understoodQuestion(question, topic: topic), language: topic.language,
            keyTerms: topic.terms, examples: [Self.example])
    }

    /// The topic's `ask:` line closest to what was heard: the question as the tutor understood it.
    ///
    /// A recognized question carries recognizer errors (`why is the sky blew`, `what is gravy tea`) that a small
    /// model takes literally ("the sky is blown by the wind"). Retrieval already chose the topic from those words, so
    /// the model is given the curriculum's own wording of the nearest question instead: the `ask:` line sharing the
    /// most words with the question (words alike at `FuzzyMatch` similarity 0.8 count as shared), the first `ask:`
    /// line on a tie or when none shares a word.
    public static func understoodQuestion(_ question: String, topic: CurriculumTopic) -> String {
        let language = topic.language
        let stopWords = StopWords.list(for: language)
        let heard = TextNormalizer.words(question, language: language).filter { !stopWords.contains($0) }
        var best = (line: topic.asks.first ?? question, shared: 0)
        for line in topic.asks {
            let words = Set(TextNormalizer.words(line, language: language).filter { !stopWords.contains($0) })
            let shared = heard.filter { word in
                words.contains { $0 == word || FuzzyMatch.similarity($0, word) >= 0.8 }
            }.count
            if shared > best.shared { best = (line, shared) }
        }
        return best.line
    }

    /// Writes the answer to `question` from `topic` with `generator`, checking each sentence.
    public func write<Generator: TextGenerating>(
        question: String, topic: CurriculumTopic, safety: String? = nil, generator: inout Generator
    ) throws -> GroundedAnswer {
        let checker = AnswerChecker(topic: topic, options: checkOptions)
        let facts = [topic.answer, topic.simpler].flatMap(AnswerSentences.split)
        let exampleSentences = AnswerSentences.split(Self.example.assistant).filter {
            checker.repeatedSentence($0, in: facts) == nil
        }
        var kept: [String] = []
        var failure: (sentence: String, reason: AnswerCheckFailure)?
        var endingRepeat: String?
        try generator.generate(request(question: question, topic: topic)) { sentence in
            let trimmed = sentence.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { return true }
            // The worked example's sentences count as said before, unless the facts say them too.
            if let reason = checker.check(trimmed, after: kept + exampleSentences) {
                if case .repeatsEarlierSentence = reason,
                    topic.terms.contains(where: {
                        KeyTerms.isSaid($0, in: kept.joined(separator: " "), language: topic.language)
                    })
                {
                    endingRepeat = trimmed
                } else {
                    failure = (trimmed, reason)
                }
                return false
            }
            kept.append(trimmed)
            return true
        }
        let safety = safety ?? topic.safety
        let curated = AnswerSentences.split(topic.answer)
        guard !kept.isEmpty else {
            return GroundedAnswer(sentences: curated, safety: safety, authorship: .curated, failure: failure)
        }
        var said = kept.joined(separator: " ")
        var sentences = kept
        for sentence in curated {
            let missing = KeyTerms.missing(topic.terms, in: said, language: topic.language)
            guard !missing.isEmpty else { break }
            if missing.contains(where: { KeyTerms.isSaid($0, in: sentence, language: topic.language) }) {
                sentences.append(sentence)
                said += " " + sentence
            }
        }
        let whole = failure == nil && sentences.count == kept.count
        return GroundedAnswer(
            sentences: sentences, safety: safety, authorship: whole ? .modelWhole : .modelThenCurated,
            failure: failure, endingRepeat: endingRepeat, modelSentenceCount: kept.count)
    }
}
