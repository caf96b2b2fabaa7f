#!/usr/bin/env python3
"""Convert world-atlas countries-110m (TopoJSON) into the dashboard's compact country outlines.

Run once, by hand, when the outlines should change:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 crates/serve/tools/world_atlas.py package/countries-110m.json \
        ../shared/reference/geonames/countries.json > crates/serve/assets/world-110m.json
    cp package/LICENSE crates/serve/assets/LICENSE-world-atlas

Output: {"source": ..., "countries": [{"iso3", "name", "d"}]} where `d` is an SVG path in an equirectangular
projection (x = longitude, y = -latitude, degrees, one decimal), so the map's viewBox is "-180 -90 360 180".
The GeoNames table is read only for its ISO 3166 numeric -> alpha-3 mapping (world-atlas ids are numeric).
"""
import json
import sys


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring_points(ring, arcs):
    pts = []
    for i in ring:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        # Consecutive arcs share their joining point.
        pts.extend(arc if not pts else arc[1:])
    return pts


def path(polygons, arcs):
    out = []
    for polygon in polygons:
        for ring in polygon:
            last = None
            cmds = []
            for lon, lat in ring_points(ring, arcs):
                p = (round(lon, 1), round(-lat, 1))
                if p == last:
                    continue
                cmds.append(("%g,%g" % p))
                last = p
            if len(cmds) >= 3:
                out.append("M" + "L".join(cmds) + "Z")
    return "".join(out)


def main():
    topo = json.load(open(sys.argv[1], encoding="utf-8"))
    table = json.load(open(sys.argv[2], encoding="utf-8"))
    iso3 = {int(c["isonumeric"]): c["iso3"] for c in table.values() if c.get("isonumeric")}
    arcs = decode_arcs(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("type") == "Polygon":
            polygons = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polygons = g["arcs"]
        else:
            continue
        gid = g.get("id")
        code = iso3.get(int(gid)) if gid is not None and str(gid).isdigit() else None
        countries.append({"iso3": code, "name": g["properties"]["name"], "d": path(polygons, arcs)})
    countries.sort(key=lambda c: c["name"])
    doc = {
        "source": "world-atlas 2.0.2 countries-110m (ISC, Mike Bostock), from Natural Earth (public domain); "
        "converted by crates/serve/tools/world_atlas.py",
        "viewBox": [-180, -90, 360, 180],
        "countries": countries,
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
