; Optimal cost 9 in 4 steps: drive a b (2), b c (3), c d (4), rest (0).
; Teleporting costs 10, the direct roads 9+4 and 20.
(define (problem roads-p1) (:domain roads)
  (:objects a b c d - city)
  (:init (at a) (road a b) (road b c) (road a c) (road c d) (road a d)
         (= (dist a b) 2) (= (dist b c) 3) (= (dist a c) 9) (= (dist c d) 4)
         (= (dist a d) 20) (= (total-cost) 0))
  (:goal (and (visited d) (rested)))
  (:metric minimize (total-cost)))
