import Foundation
import Testing

/// Runs `tutor` with `input` on standard input.
func runTutor(_ arguments: [String], input: String) throws -> TutorProcess.Result {
    let process = TutorProcess.configured(arguments)
    let inputPipe = Pipe()
    let outputPipe = Pipe()
    let errorPipe = Pipe()
    process.standardInput = inputPipe
    process.standardOutput = outputPipe
    process.standardError = errorPipe
    try process.run()
    inputPipe.fileHandleForWriting.write(Data(input.utf8))
    try inputPipe.fileHandleForWriting.close()
    let output = outputPipe.fileHandleForReading.readDataToEndOfFile()
    let error = errorPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return TutorProcess.Result(
        status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
        error: String(decoding: error, as: UTF8.self))
}

@Suite struct QuizCommandTests {
    @Test func aTypedQuizJudgesRightMisrecognizedAndWrongAnswersAndGivesTheScore() throws {
        let result = try runTutor(
            ["quiz", "--topic", "boiling", "--no-speak"], input: "a hundred degrees\nsmoke from the fire\n")
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "At how many degrees does water boil?")
        #expect(lines.dropFirst().first?.hasPrefix("That's right!") == true, "\(result.output)")
        #expect(lines.last?.hasPrefix("Not quite. The answer is: steam.") == true, "\(result.output)")
        #expect(lines.last?.hasSuffix("You got 1 of 2 right.") == true)
    }

    @Test func aSpokenAnswerIsRecognizedAndJudged() throws {
        let folder = try TutorProcess.temporaryFolder()
        let answer = folder.appendingPathComponent("answer.wav")
        let speak = Process()
        speak.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        speak.arguments = ["espeak-ng", "-v", "en-us", "-s", "140", "-w", answer.path, "it is gravity"]
        try speak.run()
        speak.waitUntilExit()
        #expect(speak.terminationStatus == 0)
        let result = try TutorProcess.run(["quiz", "--topic", "gravity", "--no-speak", answer.path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("> "), "\(result.output)")
        #expect(result.output.contains("That's right! You got 1 of 1 right."), "\(result.output)")
    }

    @Test func aSwahiliQuizAndAnUnknownTopic() throws {
        let swahili = try runTutor(["quiz", "--lang", "sw", "--topic", "gravity", "--no-speak"], input: "sumaku\n")
        #expect(swahili.status == 0, "\(swahili.error)")
        #expect(swahili.output.contains("Si sawa. Jibu ni: mvuto."))
        let unknown = try runTutor(["quiz", "--topic", "quarks", "--no-speak"], input: "")
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("unknown topic 'quarks'"))
    }
}
