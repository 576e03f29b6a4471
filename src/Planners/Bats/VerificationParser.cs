using System.Diagnostics.CodeAnalysis;

namespace Agents.Planners.Bats;

/// <summary>Parses the verifier's strict JSON reply.</summary>
internal static class VerificationParser
{
    public static bool TryParse(string? text, string answer, [NotNullWhen(true)] out VerificationReport? report, out string error)
    {
        report = null;
        if (!JsonReply.TryParseObject(text, out JsonDocument? document, out error))
        {
            return false;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            string? decisionText = JsonReply.GetString(root, "decision");
            if (!TryParseDecision(decisionText, out VerificationDecision decision))
            {
                error = $"\"decision\" must be one of SUCCESS, CONTINUE or PIVOT (got {(decisionText is null ? "nothing" : "'" + decisionText + "'")}).";
                return false;
            }

            var checks = new List<ConstraintCheck>();
            if (JsonReply.TryGetProperty(root, "verification", out JsonElement verification) && verification.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in verification.EnumerateArray())
                {
                    string constraint = JsonReply.GetString(item, "constraint") ?? string.Empty;
                    string? statusText = JsonReply.GetString(item, "status");
                    if (!TryParseStatus(statusText, out ConstraintStatus status))
                    {
                        error = $"Each \"verification\" item needs \"status\" satisfied, contradicted or unverifiable (got '{statusText}').";
                        return false;
                    }

                    checks.Add(new ConstraintCheck(constraint, status, JsonReply.GetString(item, "evidence") ?? string.Empty));
                }
            }

            JsonReply.TryGetProperty(root, "details", out JsonElement details);
            report = new VerificationReport
            {
                Answer = answer,
                Checks = checks,
                Decision = decision,
                Justification = JsonReply.GetString(root, "justification") ?? string.Empty,
                TrajectorySummary = JsonReply.GetString(root, "trajectory_summary") ?? string.Empty,
                FailureAnalysis = JsonReply.GetString(details, "failure_analysis") ?? string.Empty,
                UsefulFindings = JsonReply.GetString(details, "useful_findings") ?? string.Empty,
                Recommendations = JsonReply.GetString(details, "recommendations") ?? string.Empty,
                BacktrackTo = JsonReply.GetString(details, "backtrack_to"),
            };

            // A SUCCESS that admits a contradicted constraint is not a success.
            if (report.Decision == VerificationDecision.Success && checks.Any(c => c.Status == ConstraintStatus.Contradicted))
            {
                report = report with
                {
                    Decision = VerificationDecision.Continue,
                    Justification = "Downgraded from SUCCESS: a constraint is contradicted. " + report.Justification,
                };
            }

            error = string.Empty;
            return true;
        }
    }

    private static bool TryParseDecision(string? text, out VerificationDecision decision)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "SUCCESS":
                decision = VerificationDecision.Success;
                return true;
            case "CONTINUE":
                decision = VerificationDecision.Continue;
                return true;
            case "PIVOT":
                decision = VerificationDecision.Pivot;
                return true;
            default:
                decision = default;
                return false;
        }
    }

    private static bool TryParseStatus(string? text, out ConstraintStatus status)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "SATISFIED":
                status = ConstraintStatus.Satisfied;
                return true;
            case "CONTRADICTED":
                status = ConstraintStatus.Contradicted;
                return true;
            case "UNVERIFIABLE":
                status = ConstraintStatus.Unverifiable;
                return true;
            default:
                status = default;
                return false;
        }
    }
}
