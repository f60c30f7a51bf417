using System.Text;
using Cluster.Routing;
using ShopApp.Lib;

namespace ShopApp;

/// <summary>GET /sitemap.xml — one entry per product, built from the request's own origin.</summary>
public static class SitemapRoute
{
    public static RouteResponse GET(RouteRequest request)
    {
        var origin = request.Url.GetLeftPart(UriPartial.Authority);
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        xml.Append("  <url><loc>").Append(origin).Append("/api/products</loc></url>\n");
        foreach (var product in Catalog.List(category: null))
        {
            xml.Append("  <url><loc>").Append(origin).Append("/api/products/").Append(product.Id).Append("</loc></url>\n");
        }

        return RouteResponse.Text(xml.Append("</urlset>\n").ToString(), contentType: "application/xml; charset=utf-8");
    }
}
