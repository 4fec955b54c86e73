import Foundation
import Testing

@testable import Tutor

@Suite struct GlossaryParserTests {
    func errors(_ text: String, language: String = "en") -> [String] {
        do {
            _ = try GlossaryParser.parse(text, path: "Lexicons/\(language)/glossary", language: language)
            return []
        } catch let failure as GlossaryLoadFailure {
            return failure.errors.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func parsesConceptsMishearingsAndDangers() throws {
        let text = """
            # a comment

            concept gravity: en gravity, pull of the earth | sw mvuto, nguvu ya mvuto
            heard gravy tea: gravity
            danger mains-safety: socket, plug
            """
        let glossary = try GlossaryParser.parse(text, path: "Lexicons/en/glossary", language: "en")
        #expect(glossary.concepts["gravity"]?.forms["en"] == ["gravity", "pull of the earth"])
        #expect(glossary.concepts["gravity"]?.forms["sw"] == ["mvuto", "nguvu ya mvuto"])
        #expect(glossary.concepts["gravity"]?.source == "Lexicons/en/glossary:3")
        #expect(glossary.mishearings == [.init(language: "en", heard: "gravy tea", meant: "gravity")])
        #expect(glossary.dangers.first?.forms == ["socket", "plug"])
    }

    @Test func rejectsAnUnknownKeywordWithFileAndLine() {
        #expect(
            errors("concept a: en a\nconcpet b: en b")
                == ["Lexicons/en/glossary:2: unknown keyword 'concpet' (expected one of: concept, heard, danger)"])
    }

    @Test func rejectsAnUnknownLanguageAndAnEmptyForm() {
        let found = errors("concept a: en a | xx b\nconcept c: en c, , d")
        #expect(found.count == 2)
        #expect(found[0].hasPrefix("Lexicons/en/glossary:1: unknown language 'xx'"))
        #expect(found[1] == "Lexicons/en/glossary:2: empty form in the 'en' section")
    }

    @Test func rejectsALineWithoutAColonAndAConceptRepeatedInOneFile() {
        let found = errors("concept a en a\nconcept b: en b\nconcept b: en c")
        #expect(found.first?.hasPrefix("Lexicons/en/glossary:1: expected") == true)
        #expect(found.last == "Lexicons/en/glossary:3: concept 'b' already defined on line 2")
    }

    @Test func rejectsAConceptWithoutFormsInTheFilesOwnLanguage() {
        let expected = ["Lexicons/sw/glossary:1: no 'sw' forms, but this is the 'sw' glossary"]
        #expect(errors("concept a: en a", language: "sw") == expected)
    }

    @Test func mergesAConceptDefinedInTwoFiles() throws {
        var glossary = try GlossaryParser.parse("concept a: en x", path: "en", language: "en")
        glossary.merge(try GlossaryParser.parse("concept a: sw y", path: "sw", language: "sw"))
        #expect(glossary.concepts["a"]?.forms == ["en": ["x"], "sw": ["y"]])
    }

    @Test func theRepositoryGlossariesParseWithoutErrors() {
        do {
            let glossary = try GlossaryParser.load(
                lexiconsFolder: RepositoryTutor.root.appendingPathComponent("Lexicons"), languages: ["en", "sw"])
            #expect(glossary.concepts.count >= 50)
            #expect(glossary.mishearings.contains { $0.heard == "magnate" && $0.meant == "magnet" })
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func everyDangerNamesATopicWithASafetyMessage() {
        for danger in RepositoryTutor.glossary.dangers {
            let topic = RepositoryTutor.curriculum.topic(danger.topic, language: danger.language)
            #expect(topic?.safety != nil, "\(danger.source): \(danger.topic) has no safety message")
        }
    }
}
