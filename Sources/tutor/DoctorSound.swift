import Audio

extension DoctorCommand {
    /// Filled in when the ALSA layer lands.
    func checkSound(_ report: inout DoctorReport) {}
}
