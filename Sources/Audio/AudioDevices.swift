import CALSA
import Foundation

/// Which ways a device carries audio.
public enum AudioDeviceDirection: String, Sendable, Equatable {
    /// Input only.
    case capture
    /// Output only.
    case playback
    /// Input and output (or ALSA does not say).
    case both

    /// Reads ALSA's `IOID` hint: "Input", "Output", or absent for both.
    init(alsaIOID: String?) {
        switch alsaIOID {
        case "Input": self = .capture
        case "Output": self = .playback
        default: self = .both
        }
    }

    /// True if a microphone can be opened on it.
    public var canCapture: Bool { self != .playback }
    /// True if a speaker can be opened on it.
    public var canPlay: Bool { self != .capture }
}

/// One PCM a kiosk owner can pass as `--device`.
public struct AudioDeviceInfo: Sendable, Equatable {
    /// The name to open, for example `plughw:1,0` or `null`.
    public var name: String
    /// What ALSA or the card calls it, on one line.
    public var description: String
    /// Capture, playback or both.
    public var direction: AudioDeviceDirection

    /// Creates a device entry.
    public init(name: String, description: String, direction: AudioDeviceDirection) {
        self.name = name
        self.description = description
        self.direction = direction
    }
}

/// Lists the PCMs ALSA knows: configured names (`default`, `null`, `sysdefault:CARD=...`) and every card's devices.
///
/// Thread safety: safe from any thread; each call asks ALSA afresh, so a USB microphone plugged in later shows up.
public enum AudioDevices {
    /// Every PCM ALSA names plus `hw:C,D` and `plughw:C,D` for each sound card device; works with no card at all.
    public static func list() -> [AudioDeviceInfo] {
        ALSALog.captureMessagesOnThisThread()
        var devices = configuredPCMs()
        for device in cardPCMs() where !devices.contains(where: { $0.name == device.name }) {
            devices.append(device)
        }
        return devices
    }

    /// Whether any sound card is present (a machine without one can still use `null` and the virtual microphone).
    public static var hasSoundCard: Bool {
        var card: Int32 = -1
        return snd_card_next(&card) >= 0 && card >= 0
    }

    /// Opens a device, negotiates as a capture or playback would, and closes it: what `tutor doctor` reports.
    public static func probe(
        _ name: String, direction: PCMDirection, request: PCMRequest = .default
    )
        -> Result<PCMConfiguration, ALSAError>
    {
        do {
            let handle = try PCMHandle.open(.device(name), direction: direction, request: request)
            defer { handle.close() }
            return .success(handle.configuration)
        } catch {
            return .failure(error)
        }
    }

    /// PCMs from `snd_device_name_hint`: what ALSA's configuration defines.
    static func configuredPCMs() -> [AudioDeviceInfo] {
        var hints: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        guard snd_device_name_hint(-1, "pcm", &hints) >= 0, let hints else { return [] }
        defer { snd_device_name_free_hint(hints) }
        var devices: [AudioDeviceInfo] = []
        var cursor = hints
        while let hint = cursor.pointee {
            defer { cursor += 1 }
            guard let name = takeHint(hint, "NAME") else { continue }
            let description = (takeHint(hint, "DESC") ?? "")
                .split(whereSeparator: \.isNewline).joined(separator: " - ")
            devices.append(
                AudioDeviceInfo(
                    name: name, description: description,
                    direction: AudioDeviceDirection(alsaIOID: takeHint(hint, "IOID"))))
        }
        return devices
    }

    /// Reads one hint field; ALSA allocates it with malloc and the caller frees it.
    private static func takeHint(_ hint: UnsafeMutableRawPointer, _ field: String) -> String? {
        guard let value = snd_device_name_get_hint(hint, field) else { return nil }
        defer { free(value) }
        return String(cString: value)
    }

    /// `hw:C,D` (no conversion) and `plughw:C,D` (ALSA converts) for every PCM device of every card.
    static func cardPCMs() -> [AudioDeviceInfo] {
        var devices: [AudioDeviceInfo] = []
        var card: Int32 = -1
        while snd_card_next(&card) >= 0, card >= 0 {
            var ctl: OpaquePointer?
            guard snd_ctl_open(&ctl, "hw:\(card)", 0) >= 0, let ctl else { continue }
            defer { snd_ctl_close(ctl) }
            let cardName = cardLongName(card)
            var info: OpaquePointer?
            guard snd_pcm_info_malloc(&info) >= 0, let info else { continue }
            defer { snd_pcm_info_free(info) }
            var device: Int32 = -1
            while snd_ctl_pcm_next_device(ctl, &device) >= 0, device >= 0 {
                var canCapture = false
                var canPlay = false
                var pcmName = ""
                for stream in [SND_PCM_STREAM_CAPTURE, SND_PCM_STREAM_PLAYBACK] {
                    snd_pcm_info_set_device(info, UInt32(device))
                    snd_pcm_info_set_subdevice(info, 0)
                    snd_pcm_info_set_stream(info, stream)
                    guard snd_ctl_pcm_info(ctl, info) >= 0 else { continue }
                    if stream == SND_PCM_STREAM_CAPTURE { canCapture = true } else { canPlay = true }
                    if let name = snd_pcm_info_get_name(info) { pcmName = String(cString: name) }
                }
                guard canCapture || canPlay else { continue }
                let direction: AudioDeviceDirection =
                    canCapture && canPlay ? .both : (canCapture ? .capture : .playback)
                let described = "\(cardName): \(pcmName)"
                devices.append(
                    AudioDeviceInfo(
                        name: "hw:\(card),\(device)", description: "\(described) (hardware, no conversion)",
                        direction: direction))
                devices.append(
                    AudioDeviceInfo(
                        name: "plughw:\(card),\(device)", description: "\(described) (converts rate and format)",
                        direction: direction))
            }
        }
        return devices
    }

    private static func cardLongName(_ card: Int32) -> String {
        var name: UnsafeMutablePointer<CChar>?
        guard snd_card_get_longname(card, &name) >= 0, let name else { return "card \(card)" }
        defer { free(name) }
        return String(cString: name)
    }
}
