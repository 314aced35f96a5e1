"""Indonesia's administrative areas: provinces and kabupaten/kota (kipp.Province, kipp.Region), kecamatan
(District) and desa/kelurahan (Village), loaded from the vendored idn-area-data CSV files (data/README.md)."""
