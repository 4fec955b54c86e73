import Foundation

/// The kiosk's settings, from a plain text file of `key = value` lines (`#` starts a comment).
///
/// ```
/// language = sw
/// voice = kind
/// rate = 0.9
/// volume = 0.8
/// capture_device = plughw:1,0
/// playback_device = default
/// model = /var/lib/voicetutor/smollm2-135m-instruct-q4_1.gguf
/// usage_log = /var/lib/voicetutor/usage.tsv
/// lessons = /var/lib/voicetutor/lessons
/// ```
/// Unknown keys, repeated keys and bad values are errors naming the file and line.
public struct KioskConfiguration: Sendable, Equatable {
    /// The language questions are asked and answered in: `en`, `sw`, or `auto`.
    public var language = "en"
    /// A voice in Voices/.
    public var voice = "kind"
    /// Speaking rate, 0.3 to 3 (1 is normal).
    public var rate = 1.0
    /// Answer loudness, 0 to 1.
    public var volume: Float = 1
    /// The ALSA capture device.
    public var captureDevice = "default"
    /// The ALSA playback device.
    public var playbackDevice = "default"
    /// The language model file; nil for the default in the cache, `none` in the file for curated answers only.
    public var modelPath: String?
    /// Answer from the curated text only (`model = none`).
    public var curatedOnly = false
    /// Where topic counts are kept; nil for no usage log.
    public var usageLogPath: String?
    /// The lesson library children may ask for lessons from; nil for the folder `tutor lesson` uses.
    public var lessonsPath: String?
    /// A Linux input device whose key is held to talk (`/dev/input/by-id/...`); nil for always-on voice detection.
    public var pushToTalkDevice: String?
    /// Which of its keys talks.
    public var pushToTalkKey = PushToTalkKey.any

    /// The defaults above.
    public init() {}

    /// The keys a file may set.
    public static let keys = [
        "language", "voice", "rate", "volume", "capture_device", "playback_device", "model", "usage_log",
        "lessons", "push_to_talk", "push_to_talk_key",
    ]

    /// Reads and validates `path`.
    public static func load(path: String) throws -> KioskConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PipelineError.unreadableConfiguration(path: path, reason: error.localizedDescription)
        }
        return try parse(text, path: path)
    }

    /// Parses the text of a configuration file; `path` names it in errors.
    public static func parse(_ text: String, path: String) throws -> KioskConfiguration {
        var configuration = KioskConfiguration()
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = index + 1
            func fail(_ reason: String) -> PipelineError {
                .invalidConfiguration(path: path, line: line, reason: reason)
            }
            let content = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw fail("expected 'key = value', found '\(trimmed)'")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard keys.contains(key) else {
                throw fail("unknown key '\(key)'; expected one of \(keys.joined(separator: ", "))")
            }
            if let first = seen[key] { throw fail("'\(key)' is set again (first on line \(first))") }
            seen[key] = line
            guard !value.isEmpty else { throw fail("'\(key)' has no value") }
            switch key {
            case "language":
                guard ["en", "sw", "auto"].contains(value) else {
                    throw fail("language must be en, sw or auto, found '\(value)'")
                }
                configuration.language = value
            case "voice":
                configuration.voice = value
            case "rate":
                guard let rate = Double(value), (0.3...3).contains(rate) else {
                    throw fail("rate must be a number from 0.3 to 3, found '\(value)'")
                }
                configuration.rate = rate
            case "volume":
                guard let volume = Float(value), (0...1).contains(volume) else {
                    throw fail("volume must be a number from 0 to 1, found '\(value)'")
                }
                configuration.volume = volume
            case "capture_device":
                configuration.captureDevice = value
            case "playback_device":
                configuration.playbackDevice = value
            case "model":
                if value == "none" {
                    configuration.curatedOnly = true
                } else {
                    configuration.modelPath = value
                }
            case "lessons":
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: value, isDirectory: &isFolder), isFolder.boolValue else {
                    throw fail("lessons must be an existing lesson library folder, found '\(value)'")
                }
                configuration.lessonsPath = value
            case "push_to_talk":
                // The device may be plugged in later: it is opened, and retried, when the kiosk starts.
                guard value.hasPrefix("/") else {
                    throw fail("push_to_talk must be an input device path such as /dev/input/event3, found '\(value)'")
                }
                configuration.pushToTalkDevice = value
            case "push_to_talk_key":
                guard let key = PushToTalkKey(name: value) else {
                    throw fail("push_to_talk_key must be any, space, enter or a Linux key code, found '\(value)'")
                }
                configuration.pushToTalkKey = key
            default:  // usage_log
                configuration.usageLogPath = value
            }
        }
        return configuration
    }
}
