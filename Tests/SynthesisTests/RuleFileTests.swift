import Foundation
import Synthesis
import Testing

/// Rule, inventory and exception files: strict parsing with file:line, and how rules apply.
@Suite struct RuleFileTests {
    let inventory = try! PhonemeInventory.parse("a vowel\ni vowel\nk stop\nʃ fricative\ns fricative\n", path: "inv")

    @Test func rulesApplyFirstMatchWithContextsAndPenultimateStress() throws {
        let rules = try LetterToSoundRules(
            text: "stress penultimate\nclass V = a i\n[sh] = ʃ\n_[k]V = k\n[k] = k s\n[a] = a\n[i] = i\n[s] = s\n",
            path: "r", inventory: inventory)
        #expect(rules.pronounce("kasha").map(formatPhones) == "k ˈa ʃ a")
        #expect(rules.pronounce("akik").map(formatPhones) == "ˈa k s i k s")
        #expect(rules.pronounce("z") == nil)
    }

    @Test func rulesReadLettersWithDiacriticsAndVowelSignsOneScalarAtATime() throws {
        let inventory = try PhonemeInventory.parse("ɛ vowel\ne vowel\nk stop\naː vowel\nə vowel\n", path: "inv")
        let rules = try LetterToSoundRules(
            text: "stress none\nclass M = ा\n[ẹ] = ɛ\n[e] = e\n[k] = k\n[क] M = k\n[क] = k ə\n[ा] = aː\n", path: "r",
            inventory: inventory)
        // ẹ (precomposed or not) is e then a dot below; का is क then the vowel sign ा.
        #expect(rules.pronounce("kẹke").map(formatPhones) == "k ɛ k e")
        #expect(rules.pronounce("ke\u{323}").map(formatPhones) == "k ɛ")
        #expect(rules.pronounce("काक").map(formatPhones) == "k aː k ə")
    }

    @Test func aToneWrittenOnAPhonemeIsParsedAndPrinted() {
        let phone = Phone(notation: "àː")
        #expect(phone.symbol == "aː" && phone.tone == .low)
        #expect(phone.description == "àː")
        #expect(Phone(notation: "ã").tone == nil)
    }

    @Test func anUnknownKeywordIsAnErrorWithFileAndLine() {
        #expect(
            throws: SynthesisError.invalidLine(
                path: "rules", line: 3,
                reason: "unknown keyword 'stres' (expected stress, reduce, class, tone, or a rule 'L [abc] R = …')")
        ) {
            try LetterToSoundRules(text: "stress first\n# comment\nstres first\n", path: "rules", inventory: inventory)
        }
    }

    @Test func aPhonemeOutsideTheInventoryIsAnErrorWithTheLine() {
        #expect(
            throws: SynthesisError.invalidLine(path: "rules", line: 2, reason: "phoneme 'q' is not in the inventory")
        ) {
            try LetterToSoundRules(text: "stress first\n[a] = q\n", path: "rules", inventory: inventory)
        }
    }

    @Test func anUndefinedClassIsAnErrorWithTheLine() {
        #expect(
            throws: SynthesisError.invalidLine(path: "rules", line: 2, reason: "class V is not defined above this line")
        ) {
            try LetterToSoundRules(text: "stress first\n[a]V = a\n", path: "rules", inventory: inventory)
        }
    }

    @Test func aMissingStressLineIsAnError() {
        #expect(throws: SynthesisError.self) {
            try LetterToSoundRules(text: "[a] = a\n", path: "rules", inventory: inventory)
        }
    }

    @Test func anInventoryWithAnUnknownClassNamesTheLine() {
        #expect(
            throws: SynthesisError.invalidLine(
                path: "phonemes", line: 2,
                reason: "unknown phoneme class 'vowl' (expected one of: vowel, diphthong, approximant, nasal, stop, "
                    + "affricate, fricative, aspirate, flap)")
        ) {
            try PhonemeInventory.parse("a vowel\ne vowl\n", path: "phonemes")
        }
    }

    @Test func anExceptionListedTwiceIsAnError() {
        #expect(throws: SynthesisError.invalidLine(path: "exceptions", line: 2, reason: "'kasa' is listed twice")) {
            try ExceptionList(text: "kasa k a s a\nkasa k a ʃ a\n", path: "exceptions", inventory: inventory)
        }
    }

    @Test(arguments: Language.allCases)
    func theRepositoryLexiconFilesParse(language: Language) throws {
        let resources = TestResources.resources
        let inventory = try PhonemeInventory.load(from: resources.lexiconFile(language, "phonemes"))
        let rules = try LetterToSoundRules.load(from: resources.lexiconFile(language, "rules"), inventory: inventory)
        #expect(rules.ruleCount > 20)
        _ = try ExceptionList.load(from: resources.lexiconFile(language, "exceptions"), inventory: inventory)
        // Every inventory phoneme has a voice target.
        for symbol in inventory.symbols {
            #expect(TestResources.targets.target(symbol, language: language) != nil, "\(symbol)")
        }
    }
}
