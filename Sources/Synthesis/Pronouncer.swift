import Foundation

/// Words to phonemes for one language, and normalized text to phrases.
///
/// Lookup order (flite's `lex_lookup`, written down here where it is implemented):
/// 1. the exceptions list (Lexicons/<lang>/exceptions): words the other steps get wrong;
/// 2. the pronouncing dictionary (English only: CMUdict, compiled);
/// 3. the dictionary again after removing one prefix or suffix from Lexicons/<lang>/affixes (English only:
///    "massless" is "mass" + "-less", "nonzero" is "non-" + "zero");
/// 4. the letter-to-sound rules (Lexicons/<lang>/rules);
/// 5. spelling it out letter by letter (Lexicons/<lang>/letters), for words the rules cannot read;
/// a word with no letters of the language's script at all (another script, emoji) is skipped and reported.
///
/// English and Swahili words are folded to plain ASCII letters first (é is e); the other languages keep their
/// diacritics (tone marks, ẹ ọ ṣ, ɓ ɗ ƙ ƴ, vowel signs, zer zabar pesh), which their rules read.
public struct Pronouncer: Sendable {
    /// Where a pronunciation came from, for `tutor phonemes --verbose` and tests.
    public enum Source: String, Sendable {
        case exception, dictionary, affixes, rules, spelled
    }

    public let language: Language
    public let inventory: PhonemeInventory
    public let rules: LetterToSoundRules
    public let exceptions: ExceptionList
    public let dictionary: PronouncingDictionary?
    let letters: ExceptionList
    let prefixes: [(String, [Phone])]
    let suffixes: [(String, [Phone])]

    /// Loads a language's lexicon files (and, for English, the compiled CMU dictionary from the cache).
    public init(language: Language, resources: SynthesisResources = SynthesisResources()) throws {
        let inventory = try PhonemeInventory.load(from: resources.lexiconFile(language, "phonemes"))
        let rules = try LetterToSoundRules.load(from: resources.lexiconFile(language, "rules"), inventory: inventory)
        let exceptions = try ExceptionList.load(
            from: resources.lexiconFile(language, "exceptions"), inventory: inventory)
        let letters = try ExceptionList.load(from: resources.lexiconFile(language, "letters"), inventory: inventory)
        var dictionary: PronouncingDictionary?
        var affixes = try ExceptionList(text: "", path: "", inventory: inventory)
        if language == .english {
            dictionary = try PronouncingDictionary.loadOrCompile(resources: resources)
            affixes = try ExceptionList.load(from: resources.lexiconFile(language, "affixes"), inventory: inventory)
        }
        self.init(
            language: language, inventory: inventory, rules: rules, exceptions: exceptions, letters: letters,
            dictionary: dictionary, affixes: affixes)
    }

    /// Assembles a pronouncer from parts already loaded (tests build small ones).
    public init(
        language: Language, inventory: PhonemeInventory, rules: LetterToSoundRules, exceptions: ExceptionList,
        letters: ExceptionList, dictionary: PronouncingDictionary?, affixes: ExceptionList
    ) {
        self.language = language
        self.inventory = inventory
        self.rules = rules
        self.exceptions = exceptions
        self.letters = letters
        self.dictionary = dictionary
        self.prefixes = affixes.entries.filter { $0.key.hasSuffix("-") }.map { (String($0.key.dropLast()), $0.value) }
            .sorted { $0.0.count > $1.0.count }
        self.suffixes = affixes.entries.filter { $0.key.hasPrefix("-") }.map { (String($0.key.dropFirst()), $0.value) }
            .sorted { $0.0.count > $1.0.count }
    }

    /// Pronounces one word, following the lookup order above; nil when it has no Latin letters to read.
    public func pronounce(_ rawWord: String) -> (phones: [Phone], source: Source)? {
        let word = fold(rawWord)
        if word.isEmpty { return nil }
        if let phones = exceptions.entries[word] { return (phones, .exception) }
        if let dictionary {
            if let phones = dictionary.lookup(word) { return (phones, .dictionary) }
            if let phones = withAffixes(word, dictionary) { return (phones, .affixes) }
        }
        let plain = word.filter { $0 != "'" }
        if let phones = rules.pronounce(word) ?? rules.pronounce(plain) { return (phones, .rules) }
        var spelled: [Phone] = []
        for letter in plain {
            if let phones = letters.entries[String(letter)] ?? letters.entries[Self.fold(String(letter))] {
                spelled += phones
            }
        }
        return spelled.isEmpty ? nil : (spelled, .spelled)
    }

    private func withAffixes(_ word: String, _ dictionary: PronouncingDictionary) -> [Phone]? {
        for (prefix, phones) in prefixes where word.count >= prefix.count + 3 && word.hasPrefix(prefix) {
            let rest = String(word.dropFirst(prefix.count))
            if let stem = dictionary.lookup(rest) ?? exceptions.entries[rest] { return phones + stem }
        }
        for (suffix, phones) in suffixes where word.count >= suffix.count + 3 && word.hasSuffix(suffix) {
            let rest = String(word.dropLast(suffix.count))
            for stemWord in [rest, rest + "e"] {
                guard var stem = dictionary.lookup(stemWord) ?? exceptions.entries[stemWord] else { continue }
                if stemWord != rest, stem.last.map({ inventory.isSyllabic($0.symbol) }) == true { stem.removeLast() }
                var ending = phones
                // The plural and third-person -s is voiceless after a voiceless sound.
                if suffix == "s", let last = stem.last?.symbol, ["p", "t", "k", "f", "θ"].contains(last) {
                    ending = [Phone("s")]
                }
                return stem + ending
            }
        }
        return nil
    }

    /// English says "the" as /ði/ before a vowel ("the air"): /ðə ɛɹ/ runs the two vowels together into "there".
    static func linkTheBeforeVowels(_ words: inout [Word], inventory: PhonemeInventory) {
        for index in words.indices.dropLast() where Self.fold(words[index].text) == "the" {
            guard let next = words[index + 1].phones.first, inventory.isSyllabic(next.symbol),
                words[index].phones.last?.symbol == "ə", inventory.classes["i"] != nil
            else { continue }
            words[index].phones[words[index].phones.count - 1] = Phone("i")
        }
    }

    /// The word as the rules read it: for English and Swahili, `Self.fold`; for the other languages, lower case
    /// with its diacritics (canonically composed), keeping only letters of the language's script, their marks and
    /// ' inside words (Hausa 'ya).
    public func fold(_ word: String) -> String {
        guard language.keepsDiacritics else { return Self.fold(word) }
        var kept = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            let category = scalar.properties.generalCategory
            if language.script.contains(scalar) && scalar.properties.isAlphabetic {
                kept.append(scalar)
            } else if (category == .nonspacingMark || category == .spacingMark) && !kept.isEmpty {
                kept.append(scalar)
            } else if scalar == "'" || scalar == "’" {
                kept.append("'")
            }
        }
        return String(kept).precomposedStringWithCanonicalMapping.trimmingCharacters(
            in: CharacterSet(charactersIn: "'"))
    }

    /// Lower-cases and removes accents from Latin letters (é is e); keeps ' inside words (Swahili ng').
    static func fold(_ word: String) -> String {
        let folded = word.lowercased().folding(options: [.diacriticInsensitive], locale: nil)
        return String(folded.filter { ($0.isASCII && $0.isLetter) || $0 == "'" })
            .trimmingCharacters(in: CharacterSet(charactersIn: "'"))
    }

    /// Normalized text as phrases of pronounced words; words with nothing to say are listed in `skipped`.
    public func phrases(_ normalizedText: String) -> (phrases: [Phrase], skipped: [String]) {
        var phrases: [Phrase] = []
        var skipped: [String] = []
        var words: [Word] = []
        var firstWord: String?
        func close(_ ending: Phrase.Ending) {
            if language == .english { Self.linkTheBeforeVowels(&words, inventory: inventory) }
            if !words.isEmpty { phrases.append(Phrase(words: words, ending: ending, firstWord: firstWord ?? "")) }
            words = []
            firstWord = nil
        }
        var current = ""
        func endWord() {
            defer { current = "" }
            for piece in current.split(separator: "-") where !piece.isEmpty {
                if let (phones, source) = pronounce(String(piece)) {
                    words.append(Word(text: String(piece), phones: phones, source: source))
                    if firstWord == nil { firstWord = fold(String(piece)) }
                } else {
                    skipped.append(String(piece))
                }
            }
        }
        for character in normalizedText {
            switch character {
            case " ", "\n", "\t": endWord()
            case ",": endWord(); close(.comma)
            case ".": endWord(); close(.fullStop)
            case "!": endWord(); close(.exclamation)
            case "?": endWord(); close(.question)
            default: current.append(character)
            }
        }
        endWord()
        close(.fullStop)
        if let last = phrases.indices.last, phrases[last].ending == .comma { phrases[last].ending = .fullStop }
        return (phrases, skipped)
    }
}

/// A pronounced word.
public struct Word: Sendable, Equatable {
    public var text: String
    public var phones: [Phone]
    public var source: Pronouncer.Source
}

/// Words up to a pause, with how the pause ends (it decides the final pitch movement and pause length).
public struct Phrase: Sendable, Equatable {
    /// What ends a phrase.
    public enum Ending: Sendable, Equatable {
        case comma, fullStop, question, exclamation
    }
    public var words: [Word]
    public var ending: Ending
    /// The first word, folded: a question word makes a question fall instead of rise.
    public var firstWord: String
}
