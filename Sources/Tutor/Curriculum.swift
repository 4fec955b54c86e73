// The Tutor module: the curriculum that grounds every answer, retrieval, answer checks and dialogue.
//
// Usage:
//
//     let curriculum = try CurriculumLoader(root: URL(fileURLWithPath: "Curriculum")).load()
//     let glossary = try GlossaryParser.load(lexiconsFolder: URL(fileURLWithPath: "Lexicons"), languages: ["en", "sw"])
//     let answerer = TutorAnswerer(curriculum: curriculum, glossary: glossary)
//     print(answerer.answer("why is the sky blew", language: "auto").text)   // safety first, then the answer
//
//     var conversation = TutorConversation(answerer: answerer)
//     _ = conversation.respond(to: "why is the sky blue", language: "en")
//     print(conversation.respond(to: "why?", language: "en").text)           // the topic's `why`
//
// With a language model (TutorCore.TextGenerating), `GroundedAnswerWriter` checks each sentence it writes and falls
// back to the curated text; with a recognizer (TutorCore.PhraseScoring), `PhraseScoreCombiner` re-ranks topics by
// how well their question forms match the audio.
//
// A loaded `Curriculum`, a `TopicRetriever` and a `TutorAnswerer` are immutable values, safe to share between
// threads; a `TutorConversation` is one child's state, used on one thread. Loaders do file I/O and are meant to run
// once at start-up, off the real-time path.

/// One line of `Curriculum/topics.tsv`: a topic the curriculum is meant to cover.
public struct CurriculumTopicListing: Sendable, Equatable {
    /// The topic id, as used in file names and `related:` lines (`sky-blue`).
    public var id: String
    /// The subject area (`light`, `forces-motion`), used to group topics.
    public var area: String
    /// The English title, for people reading the list.
    public var title: String

    /// Creates a listing from its three columns.
    public init(id: String, area: String, title: String) {
        self.id = id
        self.area = area
        self.title = title
    }
}

/// One topic in one language: the curated text the tutor answers from, read from `Curriculum/<lang>/<id>.txt`.
public struct CurriculumTopic: Sendable, Equatable {
    /// The topic id (`sky-blue`), equal to the file name without `.txt`.
    public var id: String
    /// The language code (`en`, `sw`), equal to the folder name.
    public var language: String
    /// The title of the topic in this language.
    public var title: String
    /// Ways a child might ask for this topic, in the child's own words (at least 4).
    public var asks: [String]
    /// The question as a speech recognizer might mishear it (at least 1 in English).
    public var misheard: [String]
    /// The curated answer: 2 to 4 short, correct, concrete sentences.
    public var answer: String
    /// The follow-up for "why?", one level deeper.
    public var why: String
    /// One further fact for "tell me more".
    public var more: String
    /// The answer for a younger child or one who did not understand.
    public var simpler: String
    /// A safe experiment with things found at home.
    public var experiment: String
    /// Key terms (2 to 5), each of which appears in `answer`.
    public var terms: [String]
    /// Wrong ideas children often hold; the tutor must never state one as fact.
    public var misconceptions: [String]
    /// A safety message said before the answer, when the topic needs one.
    public var safety: String?
    /// Ids of related topics, all listed in `topics.tsv`.
    public var related: [String]
    /// The review status of a translation (`awaiting review by a native speaker`); `nil` in English.
    public var review: String?
    /// The file this topic came from, as shown in messages (`Curriculum/sw/sky-blue.txt`).
    public var sourcePath: String
    /// Questions the tutor may ask the child in quiz mode, with the answers it accepts.
    public var quiz: [QuizItem]

    /// Creates a topic from all of its fields.
    public init(
        id: String, language: String, title: String, asks: [String], misheard: [String], answer: String,
        why: String, more: String, simpler: String, experiment: String, terms: [String], misconceptions: [String],
        safety: String?, related: [String], review: String?, sourcePath: String, quiz: [QuizItem] = []
    ) {
        self.quiz = quiz
        self.id = id
        self.language = language
        self.title = title
        self.asks = asks
        self.misheard = misheard
        self.answer = answer
        self.why = why
        self.more = more
        self.simpler = simpler
        self.experiment = experiment
        self.terms = terms
        self.misconceptions = misconceptions
        self.safety = safety
        self.related = related
        self.review = review
        self.sourcePath = sourcePath
    }
}

/// The whole curriculum: every topic, by id and language, with the list of topics it is meant to cover.
public struct Curriculum: Sendable, Equatable {
    /// The topics listed in `topics.tsv`, in file order.
    public var listing: [CurriculumTopicListing]
    /// Every loaded topic, keyed by topic id and then by language code.
    public var topicsByID: [String: [String: CurriculumTopic]]

    /// Creates a curriculum from a topic list and loaded topics.
    public init(listing: [CurriculumTopicListing], topics: [CurriculumTopic]) {
        self.listing = listing
        var byID: [String: [String: CurriculumTopic]] = [:]
        for topic in topics {
            byID[topic.id, default: [:]][topic.language] = topic
        }
        self.topicsByID = byID
    }

    /// The topic with this id in this language, if its file exists.
    public func topic(_ id: String, language: String) -> CurriculumTopic? {
        topicsByID[id]?[language]
    }

    /// Every topic written in one language, in the order of `topics.tsv`.
    public func topics(in language: String) -> [CurriculumTopic] {
        listing.compactMap { topicsByID[$0.id]?[language] }
    }

    /// The language codes that have at least one topic, sorted.
    public var languages: [String] {
        Set(topicsByID.values.flatMap(\.keys)).sorted()
    }

    /// One line for the start-up log: `84 topics listed; written: en 84, sw 84`.
    public var summary: String {
        let counts = languages.map { "\($0) \(topics(in: $0).count)" }.joined(separator: ", ")
        return "\(listing.count) topics listed; written: \(counts.isEmpty ? "none" : counts)"
    }

    /// Which listed topics have a file in each of `languages`, and which do not.
    public func coverage(languages: [String]) -> CurriculumCoverage {
        var missing: [CurriculumCoverage.Gap] = []
        var complete: [String] = []
        for entry in listing {
            let absent = languages.filter { topicsByID[entry.id]?[$0] == nil }
            if absent.isEmpty {
                complete.append(entry.id)
            } else {
                missing += absent.map { CurriculumCoverage.Gap(id: entry.id, language: $0) }
            }
        }
        return CurriculumCoverage(languages: languages, completeIDs: complete, missing: missing)
    }
}

/// Which listed topics are written in a set of languages: a report, not an error, while the curriculum grows.
public struct CurriculumCoverage: Sendable, Equatable, CustomStringConvertible {
    /// One listed topic that has no file in one language.
    public struct Gap: Sendable, Equatable, CustomStringConvertible {
        /// The topic id.
        public var id: String
        /// The language code it is missing in.
        public var language: String

        /// The file that should exist, relative to the curriculum folder (`sw/sky-blue.txt`).
        public var description: String { "\(language)/\(id).txt" }
    }

    /// The languages checked.
    public var languages: [String]
    /// Listed topics written in every checked language, in list order.
    public var completeIDs: [String]
    /// Listed topics missing in some language, in list order.
    public var missing: [Gap]

    /// Whether every listed topic is written in every checked language.
    public var isComplete: Bool { missing.isEmpty }

    /// A one-line summary, then one line per missing file.
    public var description: String {
        let total = completeIDs.count + Set(missing.map(\.id)).count
        let header = "\(completeIDs.count) of \(total) topics written in \(languages.joined(separator: ", "))"
        return ([header] + missing.map { "  missing: \($0)" }).joined(separator: "\n")
    }
}
