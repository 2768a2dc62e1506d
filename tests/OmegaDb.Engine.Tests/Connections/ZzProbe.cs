using OmegaDb.Connections;
namespace OmegaDb.Tests.Connections;
public class ZzProbe(Xunit.Abstractions.ITestOutputHelper o)
{
    [Fact]
    public void Probe()
    {
        string[] inputs = ["host=db password='Secr3tPw", "host=db password=Secr3tPw foo=bar", "host=db password=Secr3tPw dbname",
            "postgresql://[", "postgresql://]", "postgresql://@", "postgresql://:", "postgresql://:@:/?",
            "postgresql://?=", "postgresql://h/db?&=&", "postgresql://%", "=", "==", "a=", "=b", ";", ";;=;",
            "'", "host='", "Host=\"unterminated", "postgresql://h:/db", "postgresql://h,/db", "postgresql://u:%40🔑@h/db",
            "postgresql://[fe80::1%25eth0]/db", "host=db port=5432 user=u password=p dbname=app typo=1"];
        foreach (var i in inputs)
        {
            try { var s = ConnectionStringParser.Parse(i); o.WriteLine($"{i} => OK hosts={string.Join(",", ConnectionAssert.Describe(s.Hosts))} db={s.Database} user={s.User} pw={s.Password} params={string.Join("&", ConnectionAssert.Describe(s.Parameters))}"); }
            catch (OmegaException ex) { o.WriteLine($"{i} => {ex.ErrorId}: {ex.Message}"); }
            catch (Exception ex) { o.WriteLine($"{i} => !! {ex.GetType().Name}: {ex.Message}"); }
        }
    }
}
