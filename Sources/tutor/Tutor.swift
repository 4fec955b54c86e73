import ArgumentParser
import Logging

@main
struct Tutor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor",
        abstract: "An offline, spoken physics tutor.",
        discussion: """
            Set up a new machine with Scripts/setup. Without a microphone, --mic-file plays a sound file into the \
            capture path as if it were one.
            """,
        subcommands: [
            DevicesCommand.self, RecordCommand.self, PlayCommand.self, DoctorCommand.self, ModelsCommand.self,
            BenchCommand.self, VADCommand.self, GenerateCommand.self, ChatCommand.self,
            AskCommand.self, ListenCommand.self, QuizCommand.self, EvalCommand.self, TranscribeCommand.self,
            SayCommand.self, PhonemesCommand.self, LexiconCommand.self, LessonCommand.self, VoiceCommand.self,
        ]
    )
}
