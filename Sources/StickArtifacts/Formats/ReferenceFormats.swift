// Conventions of the reference's own files (flowersteam/value_stability), read by score and rank.
import Foundation

public enum ReferenceFormats {
    /// The context label of a reference run directory: its name cut at the timestamp ("_202…"), as the
    /// reference's rank_models.py does (StickPsychometrics/README.md §1.1).
    public static func contextLabel(_ directory: String) -> String {
        let base = URL(fileURLWithPath: directory).lastPathComponent
        return base.components(separatedBy: "_202")[0]
    }
}
