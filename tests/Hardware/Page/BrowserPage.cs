using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace TokenService.Tests.Hardware.Page;

/// <summary>
/// One tab of <see cref="Chromium"/> (a target attached with a flat session): navigate, evaluate JavaScript, wait for
/// a condition, press keys, capture screenshots and PDFs. Console errors, uncaught exceptions and
/// Content-Security-Policy violations are collected in <see cref="Problems"/>.
/// </summary>
internal sealed class BrowserPage
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    private readonly Chromium _browser;
    private readonly string _session;
    private readonly List<string> _problems = [];
    private readonly Task _collecting;

    private BrowserPage(Chromium browser, string session)
    {
        _browser = browser;
        _session = session;
        _collecting = Task.Run(CollectAsync);
    }

    /// <summary>Console errors, uncaught exceptions and security (CSP) messages seen so far.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems)
            {
                return [.. _problems];
            }
        }
    }

    public static async Task<BrowserPage> OpenAsync(Chromium browser, int width = 1280, int height = 900)
    {
        var target = await browser.CallAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await browser.CallAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true });
        var page = new BrowserPage(browser, attached["sessionId"]!.GetValue<string>());
        await page.CallAsync("Page.enable");
        await page.CallAsync("Runtime.enable");
        await page.CallAsync("Log.enable");
        await page.ViewportAsync(width, height, 1);
        return page;
    }

    public Task<JsonObject> CallAsync(string method, JsonObject? parameters = null) => _browser.CallAsync(method, parameters, _session);

    public async Task NavigateAsync(Uri url)
    {
        var result = await CallAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        Assert.True(result["errorText"] is null, $"navigation to {url} failed: {result["errorText"]}");
    }

    /// <summary>A CSS-pixel viewport; <paramref name="scale"/> 2 at half the width is what 200 % zoom gives a page.</summary>
    public Task ViewportAsync(int width, int height, double scale) => CallAsync("Emulation.setDeviceMetricsOverride", new JsonObject
    {
        ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = scale, ["mobile"] = false,
    });

    /// <summary>Evaluates <paramref name="expression"/> (promises awaited) and returns its JSON value.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await CallAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true, ["userGesture"] = true,
        });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"page script failed: {expression}\n{exception.ToJsonString()}");
        }

        return result["result"]?["value"];
    }

    public async Task<string> TextAsync(string expression) => (await EvaluateAsync(expression))?.GetValue<string>() ?? "";

    /// <summary>
    /// Waits until <paramref name="condition"/> is true in the page, evaluating it every 20 ms; returns how long
    /// that took. Fails with <paramref name="what"/> and the page's problems otherwise.
    /// </summary>
    public async Task<TimeSpan> WaitForAsync(string condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        string? failure = null;
        while (true)
        {
            try
            {
                if ((await EvaluateAsync($"!!({condition})"))?.GetValue<bool>() == true)
                {
                    return clock.Elapsed;
                }
            }
            catch (InvalidOperationException e)
            {
                failure = e.Message; // the page is still loading, or the element is not there yet
            }

            if (clock.Elapsed > timeout)
            {
                var body = await TextAsync("document.body ? document.body.innerText : ''");
                Assert.Fail($"the page did not show {what} within {timeout}.\ncondition: {condition}\nlast script error: {failure}\npage text:\n{body}\nproblems:\n{string.Join('\n', Problems)}");
            }

            await Task.Delay(Poll);
        }
    }

    /// <summary>A real key press (keyDown and keyUp) to the focused element, as a keyboard user makes it.</summary>
    public async Task PressAsync(string key, string code, int keyCode)
    {
        foreach (var type in (string[])["keyDown", "keyUp"])
        {
            var press = new JsonObject { ["type"] = type, ["key"] = key, ["code"] = code, ["windowsVirtualKeyCode"] = keyCode };
            if (type == "keyDown" && key == "Enter")
            {
                press["text"] = "\r";
            }

            await CallAsync("Input.dispatchKeyEvent", press);
        }
    }

    public async Task ScreenshotAsync(string path)
    {
        var shot = await CallAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
    }

    /// <summary>What "Save as PDF" gives: the print stylesheet, A4, backgrounds as the stylesheet asks.</summary>
    public async Task<byte[]> PrintToPdfAsync()
    {
        var pdf = await CallAsync("Page.printToPDF", new JsonObject { ["preferCSSPageSize"] = true, ["printBackground"] = true });
        return Convert.FromBase64String(pdf["data"]!.GetValue<string>());
    }

    private async Task CollectAsync()
    {
        await foreach (var (method, parameters, session) in _browser.Events.Reader.ReadAllAsync())
        {
            if (session != _session)
            {
                continue;
            }

            var problem = method switch
            {
                "Runtime.exceptionThrown" => "exception: " + parameters["exceptionDetails"]?.ToJsonString(),
                "Runtime.consoleAPICalled" when parameters["type"]?.GetValue<string>() is "error" or "warning" =>
                    "console: " + parameters["args"]?.ToJsonString(),
                "Log.entryAdded" when parameters["entry"]?["level"]?.GetValue<string>() is "error" or "warning"
                    || parameters["entry"]?["source"]?.GetValue<string>() == "security" =>
                    "log: " + parameters["entry"]?.ToJsonString(),
                _ => null,
            };
            if (problem is not null)
            {
                lock (_problems)
                {
                    _problems.Add(problem);
                }
            }
        }
    }

    public static string Js(string text) => JsonSerializer.Serialize(text);
}
