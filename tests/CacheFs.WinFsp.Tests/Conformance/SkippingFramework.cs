using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("CacheFs.WinFsp.Tests.Conformance.SkippingFramework", "CacheFs.WinFsp.Tests")]

namespace CacheFs.WinFsp.Tests.Conformance;

/// <summary>
/// xUnit as usual, except that a conformance case listed in <see cref="WindowsSkips"/> is reported skipped with its
/// reason. The cases are written once for every driver, so the reason cannot sit on the case itself.
/// </summary>
public sealed class SkippingFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider sources, IMessageSink sink)
        : XunitTestFrameworkDiscoverer(assembly, sources, sink)
    {
        protected override bool FindTestsForMethod(
            ITestMethod testMethod,
            bool includeSourceInformation,
            IMessageBus messageBus,
            ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (testMethod.TestClass.Class.Name != typeof(WinFspConformanceTests).FullName || WindowsSkips.Reason(testMethod.Method.Name) is not { } reason)
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);
            var skipped = new XunitSkippedDataRowTestCase(
                DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason);
            return ReportDiscoveredTestCase(skipped, includeSourceInformation, messageBus);
        }
    }
}
