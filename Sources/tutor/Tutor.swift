import ArgumentParser
import Logging

@main
struct Tutor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tutor",
        abstract: "An offline, spoken physics tutor.",
        subcommands: []
    )
}
