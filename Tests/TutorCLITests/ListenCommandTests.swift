import Foundation
import Testing

@Suite struct ListenCommandTests {
    @Test func aBadConfigurationLineStopsTheKioskNamingTheFileAndLine() throws {
        let folder = try TutorProcess.temporaryFolder()
        let config = folder.appendingPathComponent("kiosk.conf")
        try "language = en\nvolume = loud\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try TutorProcess.run([
            "listen", "--config", config.path, "--mic-file", "Samples/sky-blue-en-us-160.flac",
        ])
        #expect(result.status != 0)
        #expect(
            result.error.contains("\(config.path):2: volume must be a number from 0 to 1, found 'loud'"),
            "\(result.error)")
    }

    @Test func theShippedKioskConfigurationIsValid() throws {
        // Kiosk/kiosk.conf is what the install steps copy to /etc; `tutor listen --help` parses nothing, so load it.
        let result = try TutorProcess.run(["listen", "--config", "Kiosk/kiosk.conf", "--mic-file", "/nonexistent.flac"])
        #expect(result.status != 0)
        #expect(!result.error.contains("kiosk.conf:"), "\(result.error)")
        #expect(result.error.contains("/nonexistent.flac"), "\(result.error)")
    }

    @Test func anUnknownPushToTalkKeyIsRefusedBeforeAnythingLoads() throws {
        let result = try TutorProcess.run([
            "listen", "--push-to-talk", "/dev/input/event0", "--push-to-talk-key", "pedal", "--mic-file",
            "Samples/sky-blue-en-us-160.flac",
        ])
        #expect(result.status != 0)
        #expect(
            result.error.contains("--push-to-talk-key must be any, space, enter or a Linux key code, found 'pedal'"),
            "\(result.error)")
    }
}
