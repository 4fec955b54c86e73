import ArgumentParser
import Foundation
import Synthesis
import TutorCore

/// `tutor lexicon`: builds and checks pronunciation data.
struct LexiconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexicon",
        abstract: "Compile the English dictionary; measure letter-to-sound rules against references.",
        subcommands: [LexiconCompileCommand.self, LexiconAgreementCommand.self]
    )
}

/// `tutor lexicon compile`: cmudict.dict to the binary the synthesizer reads.
struct LexiconCompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile lexicons/en/cmudict.dict in the cache to cmudict.vtlex (also done at first use)."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        global.bootstrapLogging()
        let resources = SynthesisResources()
        do {
            let dictionary = try PronouncingDictionary.compile(
                source: resources.cmudictSource, to: resources.cmudictCompiled)
            let size = (try? FileManager.default.attributesOfItem(atPath: resources.cmudictCompiled.path)[.size]) ?? 0
            print("compiled \(dictionary.count) words to \(resources.cmudictCompiled.path) (\(size) bytes)")
        } catch {
            throw UserFacingError("\(error)")
        }
    }
}

/// `tutor lexicon agreement`: how often our rules agree with independent references.
struct LexiconAgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract:
            "Phoneme agreement of our rules with references (sw: gruut's lexicon, epitran; en: CMUdict; others: epitran).",
        discussion: """
            sw: every single-word entry of gruut-lang-sw's lexicon (lexicons/sw/gruut-lexicon.db in the cache, read \
            with the sqlite3 tool) against our exceptions+rules, and the same words transcribed with epitran's \
            swa-Latn map (references/epitran/swa-Latn.csv). en: our rules alone against CMUdict on every \
            --every'th dictionary word (the rules were written by hand, never fitted to the dictionary). Other \
            languages: our exceptions+rules against epitran's map for the language on every word of \
            Curriculum/<lang>/, Lexicons/<lang>/glossary, Lexicons/<lang>/words and the pronunciation goldens, both \
            read without tone, length and syllabicity marks (EpitranReference says how the map is read).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Language code: en, sw, or one with an epitran map (\(Self.epitranCodes)).")
    var lang = "sw"

    static let epitranCodes = EpitranReference.mapNames.keys.filter { $0 != .swahili }.map(\.rawValue).sorted()
        .joined(separator: ", ")

    @Option(help: "English: compare every N-th dictionary word.")
    var every = 20

    @Option(help: "English: start at this dictionary index (another offset is another held-out sample).")
    var offset = 0

    @Option(help: "Print up to this many disagreements.")
    var show = 10

    func run() throws {
        global.bootstrapLogging()
        do {
            let language = try Language(code: lang)
            let pronouncer = try Pronouncer(language: language)
            switch language {
            case .swahili: try swahili(pronouncer)
            case .english: english(pronouncer)
            default: try againstEpitran(pronouncer)
            }
        } catch let error as UserFacingError {
            throw error
        } catch {
            throw UserFacingError("\(error)")
        }
    }

    private func english(_ pronouncer: Pronouncer) {
        guard let dictionary = pronouncer.dictionary else { return }
        var agreement = PronunciationAgreement()
        var shown = 0
        for index in stride(from: max(0, offset), to: dictionary.count, by: max(1, every)) {
            let word = dictionary.word(at: index)
            guard word.count >= 3, word.allSatisfy({ $0.isASCII && $0.isLetter }) else { continue }
            guard let ours = pronouncer.rules.pronounce(word) else { continue }
            let reference = PronunciationAgreement.commonEnglish(dictionary.phones(at: index))
            let candidate = PronunciationAgreement.commonEnglish(ours)
            agreement.add(reference: reference, candidate: candidate)
            if reference != candidate, shown < show {
                print(
                    "  \(word): cmudict \(reference.joined(separator: " ")), rules \(candidate.joined(separator: " "))")
                shown += 1
            }
        }
        print("en rules vs CMUdict (every \(every)th word from \(offset), stress ignored): \(agreement)")
    }

    private func swahili(_ pronouncer: Pronouncer) throws {
        let cache = TutorPaths.cacheDirectory()
        let database = cache.appendingPathComponent("lexicons/sw/gruut-lexicon.db")
        let result = try ProcessRunner.check([
            "sqlite3", "-separator", "\t", database.path,
            "SELECT word, phonemes FROM word_phonemes ORDER BY id",
        ])
        let epitranURL = cache.appendingPathComponent("references/epitran/swa-Latn.csv")
        let epitranText = try String(contentsOf: epitranURL, encoding: .utf8)
        let epitran = try GraphemeMap(csv: epitranText, path: epitranURL.path)
        var versusGruut = PronunciationAgreement()
        var versusEpitran = PronunciationAgreement()
        var epitranVersusGruut = PronunciationAgreement()
        var shown = 0
        for line in result.standardOutput.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2 else { continue }
            let word = String(fields[0])
            // Alternates are "word(2)": only the first pronunciation; letters and ' only.
            guard word.allSatisfy({ ($0.isASCII && $0.isLetter) || $0 == "'" }), word == word.lowercased() else {
                continue
            }
            guard let ours = pronouncer.pronounce(word) else { continue }
            let candidate = PronunciationAgreement.commonSwahili(ours.phones.map(\.symbol).joined())
            let reference = PronunciationAgreement.commonSwahili(String(fields[1]))
            versusGruut.add(reference: reference, candidate: candidate)
            if reference != candidate, shown < show {
                print("  \(word): gruut \(reference.joined(separator: " ")), ours \(candidate.joined(separator: " "))")
                shown += 1
            }
            if let transcribed = epitran.transcribe(word) {
                let epitranSymbols = PronunciationAgreement.commonSwahili(transcribed)
                versusEpitran.add(reference: epitranSymbols, candidate: candidate)
                epitranVersusGruut.add(reference: reference, candidate: epitranSymbols)
            }
        }
        var mapEntries = PronunciationAgreement()
        for (orth, phon) in epitran.pairs {
            guard let ours = pronouncer.rules.pronounce(orth) else {
                mapEntries.add(reference: PronunciationAgreement.commonSwahili(phon), candidate: [])
                continue
            }
            mapEntries.add(
                reference: PronunciationAgreement.commonSwahili(phon),
                candidate: PronunciationAgreement.commonSwahili(ours.map(\.symbol).joined()))
        }
        print("sw ours vs gruut-lang-sw lexicon: \(versusGruut)")
        print("sw ours vs epitran swa-Latn map (same words): \(versusEpitran)")
        print("sw epitran vs gruut (for scale): \(epitranVersusGruut)")
        print("sw ours vs epitran map entries one by one: \(mapEntries)")
    }

    /// Our pronunciations against epitran's map over the language's word list.
    private func againstEpitran(_ pronouncer: Pronouncer) throws {
        let language = pronouncer.language
        guard let mapName = EpitranReference.mapNames[language] else {
            throw UserFacingError("no epitran map for '\(language.rawValue)'; maps exist for: \(Self.epitranCodes)")
        }
        let url = TutorPaths.cacheDirectory().appendingPathComponent("references/epitran/\(mapName)")
        let csv: String
        do {
            csv = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw UserFacingError("\(url.path): cannot read (run Scripts/setup or tutor models fetch): \(error)")
        }
        let reference = try EpitranReference(language: language, csv: csv, path: url.path)
        let (words, sources) = try wordList(language, pronouncer)
        var agreement = PronunciationAgreement()
        var withoutSchwa = PronunciationAgreement()
        var unreadable: [String] = []
        var shown = 0
        for word in words {
            guard let ours = pronouncer.pronounce(word), let theirs = reference.symbols(word) else {
                unreadable.append(word)
                continue
            }
            let candidate = PronunciationAgreement.commonSymbols(ours.phones.map(\.symbol).joined())
            agreement.add(reference: theirs, candidate: candidate)
            // Without ə, which the maps never write for the unwritten short vowels of Urdu and Hindi.
            withoutSchwa.add(reference: theirs.filter { $0 != "ə" }, candidate: candidate.filter { $0 != "ə" })
            if theirs != candidate, shown < show {
                print("  \(word): epitran \(theirs.joined(separator: " ")), ours \(candidate.joined(separator: " "))")
                shown += 1
            }
        }
        print("\(language.rawValue) words from \(sources.joined(separator: ", ")): \(words.count) distinct")
        if !unreadable.isEmpty {
            print(
                "  not compared (a letter outside the map): \(unreadable.count): \(unreadable.prefix(8).joined(separator: " "))"
            )
        }
        print("\(language.rawValue) ours vs epitran \(mapName): \(agreement)")
        if language.script != .latin {
            print("\(language.rawValue) the same without ə (unwritten short vowels) on either side: \(withoutSchwa)")
        }
    }

    /// Distinct words (as the pronouncer folds them) of the curriculum, glossary, word list and goldens.
    private func wordList(_ language: Language, _ pronouncer: Pronouncer) throws -> ([String], [String]) {
        let root = TutorPaths.resourceDirectory()
        let code = language.rawValue
        var files: [URL] = []
        let curriculum = root.appendingPathComponent("Curriculum/\(code)")
        let topics = (try? FileManager.default.contentsOfDirectory(atPath: curriculum.path)) ?? []
        files += topics.filter { $0.hasSuffix(".txt") }.sorted().map { curriculum.appendingPathComponent($0) }
        for name in ["glossary", "words", "pronunciation.golden"] {
            let url = root.appendingPathComponent("Lexicons/\(code)/\(name)")
            if FileManager.default.fileExists(atPath: url.path) { files.append(url) }
        }
        var seen: Set<String> = []
        var words: [String] = []
        for url in files {
            let text = try String(contentsOf: url, encoding: .utf8)
            var key = ""
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                // Curriculum and glossary lines start with a key ("answer:", "concept gravity:"): skip it, and skip
                // the values that are English (topic ids, the review note), here and on their continuation lines.
                var content = Substring(line)
                if !line.hasPrefix("    "), let colon = line.firstIndex(of: ":"), line[..<colon].allSatisfy(\.isASCII) {
                    key = String(line[..<colon])
                    content = line[line.index(after: colon)...]
                }
                if ["topic", "language", "related", "review"].contains(key) { continue }
                if url.lastPathComponent == "pronunciation.golden" { content = line.prefix { $0 != "\t" } }
                for token in content.split(whereSeparator: { !($0.isLetter || $0 == "'") }) {
                    let word = pronouncer.fold(String(token))
                    if word.count >= 2, seen.insert(word).inserted { words.append(word) }
                }
            }
        }
        let names = files.map { $0.path.replacingOccurrences(of: root.path + "/", with: "") }
        let shortNames =
            topics.isEmpty ? names : ["Curriculum/\(code)/*.txt"] + names.filter { !$0.hasPrefix("Curriculum") }
        return (words, shortNames)
    }
}
