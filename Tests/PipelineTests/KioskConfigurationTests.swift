import Foundation
import Testing

@testable import Pipeline

@Suite struct KioskConfigurationTests {
    @Test func aCompleteFileSetsEverySetting() throws {
        let configuration = try KioskConfiguration.parse(
            """
            # the centre's box
            language = sw
            voice = deep   # lower
            rate = 0.8
            volume = 0.5
            capture_device = plughw:1,0
            playback_device = hw:0,0
            model = none
            usage_log = /var/lib/voicetutor/usage.tsv
            push_to_talk = /dev/input/by-id/usb-Button-event-kbd
            push_to_talk_key = space
            """, path: "kiosk.conf")
        #expect(configuration.language == "sw")
        #expect(configuration.voice == "deep")
        #expect(configuration.rate == 0.8)
        #expect(configuration.volume == 0.5)
        #expect(configuration.captureDevice == "plughw:1,0")
        #expect(configuration.playbackDevice == "hw:0,0")
        #expect(configuration.curatedOnly)
        #expect(configuration.usageLogPath == "/var/lib/voicetutor/usage.tsv")
        #expect(configuration.pushToTalkDevice == "/dev/input/by-id/usb-Button-event-kbd")
        #expect(configuration.pushToTalkKey == .code(57))
    }

    @Test(arguments: [
        ("language = en\nlanguage = sw", "kiosk.conf:2: 'language' is set again (first on line 1)"),
        ("\nspeed = 2", "kiosk.conf:2: unknown key 'speed'"),
        ("rate = fast", "kiosk.conf:1: rate must be a number from 0.3 to 3, found 'fast'"),
        ("volume = 1.5", "kiosk.conf:1: volume must be a number from 0 to 1, found '1.5'"),
        ("language = fr", "kiosk.conf:1: language must be en, sw or auto, found 'fr'"),
        ("voice", "kiosk.conf:1: expected 'key = value', found 'voice'"),
        ("# ok\n\nmodel =", "kiosk.conf:3: 'model' has no value"),
        ("push_to_talk = event3", "kiosk.conf:1: push_to_talk must be an input device path"),
        ("push_to_talk_key = left-pedal", "kiosk.conf:1: push_to_talk_key must be any, space, enter or a Linux key code"),
    ])
    func aBadLineIsAnErrorNamingTheFileAndLine(text: String, message: String) {
        #expect {
            try KioskConfiguration.parse(text, path: "kiosk.conf")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func aMissingFileIsNamedInTheError() {
        #expect {
            try KioskConfiguration.load(path: "/nonexistent/kiosk.conf")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/kiosk.conf: cannot read the configuration")
        }
    }
}

@Suite struct UsageLogTests {
    @Test func countsTopicsOnlyAndContinuesAfterARestart() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("usage-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try UsageLog(path: path)
        log.record(topic: "sky-blue")
        log.record(topic: "sky-blue")
        log.record(topic: nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "sky-blue\t2\nunknown\t1\n")
        let again = try UsageLog(path: path)
        again.record(topic: "magnets")
        #expect(again.counts == ["sky-blue": 2, "unknown": 1, "magnets": 1])
    }

    @Test func aFullDiskStopsLoggingButNotCounting() throws {
        // /dev/full fails every write with ENOSPC, as a full disk does.
        let log = try UsageLog(path: "/dev/full")
        log.record(topic: "sky-blue")
        #expect(!log.isWriting)
        log.record(topic: "sky-blue")
        #expect(log.counts["sky-blue"] == 2)
    }

    @Test func aDamagedLogIsAnErrorWithItsLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("usage-\(UUID().uuidString).tsv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "sky-blue\t2\nmagnets\tmany\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try UsageLog(path: path)
        } throws: { error in
            "\(error)".hasPrefix("\(path):2: expected 'topic<TAB>count'")
        }
    }
}
