import Foundation
import Testing

/// `tutor vad FILE`: probabilities per window, utterances, speed; errors name the file.
@Suite struct VADCommandTests {
    @Test func theEnergyDetectorPrintsEveryWindowAndOneUtteranceForASampleQuestion() throws {
        let result = try TutorProcess.run(["vad", "--energy", "Samples/sky-blue-en-us-160.flac"])
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("window\t") }.count == 74)
        let utterances = lines.filter { $0.hasPrefix("utterance\t") }
        #expect(utterances.count == 1)
        let fields = utterances.first?.split(separator: "\t") ?? []
        #expect(fields.count == 4 && abs((Double(fields[2]) ?? 0) - 1.539) <= 0.1, "\(utterances)")
        #expect(lines.last?.hasPrefix("speed\t") == true)
    }

    @Test func aMissingFileIsNamedInTheError() throws {
        let result = try TutorProcess.run(["vad", "--energy", "/nonexistent/question.flac"])
        #expect(result.status != 0)
        #expect(result.error.contains("/nonexistent/question.flac"))
    }
}
