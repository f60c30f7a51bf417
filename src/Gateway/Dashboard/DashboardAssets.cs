using System.Text;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// The dashboard's page, script, stylesheet and its login and disabled pages: embedded in the gateway's assembly
/// (<c>Dashboard/Assets</c>), read once, served from memory. No CDN, no external font: the page works on an air-gapped
/// wall screen.
/// </summary>
internal sealed class DashboardAssets
{
    public const string HtmlContentType = "text/html; charset=utf-8";
    public const string ScriptContentType = "text/javascript; charset=utf-8";
    public const string StylesContentType = "text/css; charset=utf-8";
    public const string IconContentType = "image/svg+xml";

    private const string ErrorMarker = "<!--error-->";

    public DashboardAssets()
    {
        Page = Read("index.html");
        Script = Read("app.js");
        Styles = Read("app.css");
        Icon = Read("favicon.svg");
        Disabled = Read("disabled.html");
        var login = Encoding.UTF8.GetString(Read("login.html"));
        Login = Encoding.UTF8.GetBytes(login.Replace(ErrorMarker, string.Empty, StringComparison.Ordinal));
        LoginWrongToken = Encoding.UTF8.GetBytes(login.Replace(
            ErrorMarker, """<p class="login-error" role="alert">That is not the admin token (Cluster:AdminToken).</p>""", StringComparison.Ordinal));
        LoginBadForm = Encoding.UTF8.GetBytes(login.Replace(
            ErrorMarker, """<p class="login-error" role="alert">Send the token with this form.</p>""", StringComparison.Ordinal));
    }

    /// <summary>The dashboard (<c>index.html</c>): a shell the script fills.</summary>
    public byte[] Page { get; }

    /// <summary><c>app.js</c>.</summary>
    public byte[] Script { get; }

    /// <summary><c>app.css</c>.</summary>
    public byte[] Styles { get; }

    /// <summary><c>favicon.svg</c> (linked by every page, so the browser asks for no <c>/favicon.ico</c> the app may not have).</summary>
    public byte[] Icon { get; }

    /// <summary>The 403 page of a gateway outside Development without <c>Cluster:AdminToken</c>.</summary>
    public byte[] Disabled { get; }

    /// <summary>The login form.</summary>
    public byte[] Login { get; }

    /// <summary>The login form, saying the token was wrong.</summary>
    public byte[] LoginWrongToken { get; }

    /// <summary>The login form, saying the request was not the form's.</summary>
    public byte[] LoginBadForm { get; }

    private static byte[] Read(string name)
    {
        var resource = "Cluster.Gateway.Dashboard." + name;
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The gateway assembly has no embedded resource '{resource}' (Gateway.csproj embeds Dashboard/Assets/*).");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
